package io.fleetcast.platform.provisioning;

import io.fleetcast.platform.certificate.DeviceCertificates;
import io.fleetcast.platform.certificate.DeviceCsr;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Provisions devices that present a claim. Requests are group-committed: while one batch is in the
 * database, new requests queue up and go together in the next one, one transaction per claim. A single
 * device is provisioned at once; a production line of thousands per second costs a few statements per
 * batch instead of a transaction per device, and the claim's row is locked once per batch.
 */
@ApplicationScoped
public class Provisioner {

    private static final Logger LOG = Logger.getLogger(Provisioner.class);

    @Inject
    ProvisioningBatch batch;

    @Inject
    ProvisioningConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    DeviceCertificates certificates;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean flushing = new AtomicBoolean();

    /** Configuration of provisioning by claim. */
    @ConfigMapping(prefix = "fleetcast.provisioning")
    public interface ProvisioningConfig {

        /** Requests waiting beyond this are answered UNAVAILABLE at once, so memory stays bounded. */
        @WithDefault("20000")
        int maxQueued();

        /** Most requests taken into one batch. */
        @WithDefault("1000")
        int maxBatch();
    }

    /** A request waiting for its batch. */
    record Pending(ClaimGrant grant, ProvisionRequest request, CompletableFuture<ProvisionResponse> result) {

        void complete(ProvisionResponse response) {
            result.complete(response);
        }
    }

    /**
     * Completes on a database thread; callers move back to their own context.
     *
     * <p>A request with a CSR gets its certificate after the batch answered: signing in memory and one
     * more statement, paid only by devices that sent a CSR, so the batch keeps its four round trips.
     * The CSR is checked before the batch, so a bad one costs no claim use.
     */
    public Uni<ProvisionResponse> provision(ClaimGrant grant, ProvisionRequest request) {
        if (request.csr() == null) {
            return provisionInBatch(grant, request);
        }
        DeviceCsr csr;
        try {
            csr = DeviceCsr.parse(request.csr());
        } catch (DeviceCsr.InvalidCsrException e) {
            ProvisionResponse refused =
                    ProvisionResponse.failure(request.requestId(), ProvisionError.INVALID_REQUEST, e.getMessage());
            count(refused);
            return Uni.createFrom().item(refused);
        }
        return provisionInBatch(grant, request)
                .chain(response -> response.isSuccess()
                        ? certificates
                                .issueAtProvisioning(grant.tenantId(), UUID.fromString(response.deviceId()), csr)
                                .map(response::withCertificate)
                                .onFailure()
                                .recoverWithItem(failure -> {
                                    // The device retries with the same request id and gets both again.
                                    LOG.errorf(failure, "Certificate not issued deviceId=%s", response.deviceId());
                                    return ProvisionResponse.failure(
                                            request.requestId(), ProvisionError.UNAVAILABLE, "try again later");
                                })
                        : Uni.createFrom().item(response));
    }

    private Uni<ProvisionResponse> provisionInBatch(ClaimGrant grant, ProvisionRequest request) {
        Pending pending = new Pending(grant, request, new CompletableFuture<>());
        if (queued.incrementAndGet() > config.maxQueued()) {
            queued.decrementAndGet();
            pending.complete(ProvisionResponse.failure(
                    request.requestId(), ProvisionError.UNAVAILABLE, "provisioning is saturated, retry later"));
        } else {
            queue.add(pending);
            flushIfIdle();
        }
        return Uni.createFrom().completionStage(pending.result()).invoke(this::count);
    }

    private void flushIfIdle() {
        if (!queue.isEmpty() && flushing.compareAndSet(false, true)) {
            flush();
        }
    }

    private void flush() {
        Map<UUID, List<Pending>> byClaim = new LinkedHashMap<>();
        for (int taken = 0; taken < config.maxBatch(); taken++) {
            Pending pending = queue.poll();
            if (pending == null) {
                break;
            }
            queued.decrementAndGet();
            byClaim.computeIfAbsent(pending.grant().claimId(), id -> new ArrayList<>())
                    .add(pending);
        }
        List<Uni<Void>> claims = new ArrayList<>(byClaim.size());
        byClaim.forEach((claimId, requests) ->
                claims.add(batch.run(claimId, requests).onFailure().recoverWithItem(failure -> {
                    LOG.errorf(failure, "Provisioning batch failed claimId=%s size=%d", claimId, requests.size());
                    requests.forEach(pending -> pending.complete(ProvisionResponse.failure(
                            pending.request().requestId(), ProvisionError.UNAVAILABLE, "try again later")));
                    return null;
                })));
        Uni.join().all(claims).andCollectFailures().subscribe().with(done -> next(), failure -> next());
    }

    private void next() {
        flushing.set(false);
        flushIfIdle();
    }

    private void count(ProvisionResponse response) {
        String result =
                response.isSuccess() ? "provisioned" : response.error().name().toLowerCase();
        metrics.counter("fleetcast.provisionings", "result", result).increment();
    }
}
