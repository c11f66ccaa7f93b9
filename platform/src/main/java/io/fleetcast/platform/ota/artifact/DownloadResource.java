package io.fleetcast.platform.ota.artifact;

import io.fleetcast.platform.error.ApiError;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;

/**
 * Artifact downloads for devices, authorized by the signed URL of their assignment rather than a
 * token. Resumable: one byte range per request, with a strong ETag (the content hash) for If-Range and
 * If-None-Match. The file is sent from disk in pieces, never read into the heap.
 */
@Path(DownloadSigner.PATH)
@Tag(name = "OTA downloads")
public class DownloadResource {

    @Inject
    ArtifactStore store;

    @Inject
    DownloadSigner signer;

    @Inject
    Clock clock;

    @GET
    @Path("{sha256}")
    @PermitAll
    @Blocking
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download an artifact with the signed URL of an assignment (Range and ETag supported)")
    public Response download(
            @PathParam("sha256") String sha256,
            @QueryParam("device") String device,
            @QueryParam("expires") String expires,
            @QueryParam("sig") String sig,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        DownloadSigner.Refusal refusal = signer.check(sha256, device, expires, sig, clock.instant());
        if (refusal != null) {
            return refused(refusal);
        }
        java.nio.file.Path file = store.file(sha256).orElse(null);
        if (file == null) {
            return error(404, new ApiError("NOT_FOUND", "artifact " + sha256 + " not found"));
        }
        long size = size(file);
        String etag = "\"" + sha256 + "\"";
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        // If-Range with another validator means the client's partial copy is stale: send it all.
        ByteRange.Parsed parsed =
                ifRange != null && !ifRange.trim().equals(etag) ? new ByteRange.Whole() : ByteRange.parse(range, size);
        if (parsed instanceof ByteRange.Partial partial) {
            ByteRange bytes = partial.range();
            return Response.status(206)
                    .header(HttpHeaders.ETAG, etag)
                    .header("Accept-Ranges", "bytes")
                    .header("Content-Range", "bytes " + bytes.first() + "-" + bytes.last() + "/" + size)
                    .header(HttpHeaders.CONTENT_LENGTH, bytes.length())
                    .entity(new PathPart(file, bytes.first(), bytes.length()))
                    .build();
        }
        if (parsed instanceof ByteRange.Unsatisfiable) {
            return Response.status(416)
                    .header("Content-Range", "bytes */" + size)
                    .header(HttpHeaders.ETAG, etag)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("RANGE_NOT_SATISFIABLE", "the artifact has " + size + " bytes"))
                    .build();
        }
        return Response.ok(new PathPart(file, 0, size))
                .header(HttpHeaders.ETAG, etag)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CONTENT_LENGTH, size)
                .build();
    }

    private static Response refused(DownloadSigner.Refusal refusal) {
        ApiError error =
                switch (refusal) {
                    case UNSIGNED -> new ApiError("DOWNLOAD_UNSIGNED", "the download URL carries no signature");
                    case BAD_SIGNATURE -> new ApiError(
                            "DOWNLOAD_BAD_SIGNATURE", "the download URL's signature is not valid");
                    case EXPIRED -> new ApiError(
                            "DOWNLOAD_EXPIRED", "the download URL has expired; wait for a new assignment");
                };
        return error(403, error);
    }

    private static Response error(int status, ApiError error) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error)
                .build();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || value.equals(etag) || value.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static long size(java.nio.file.Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
