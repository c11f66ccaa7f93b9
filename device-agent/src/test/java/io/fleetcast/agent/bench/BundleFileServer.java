package io.fleetcast.agent.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * Serves one bundle file over HTTP on loopback for {@link OtaInstallBench}, the way the platform's
 * download endpoint does: a strong ETag (the file's SHA-256), {@code Range} with {@code If-Range}, 206
 * answers. Its own process, so that serving does not share a JVM (or its CPU) with the agent.
 *
 * <p>Usage: {@code BundleFileServer <file> <port-file>}; writes the port it listens on into the port
 * file once it accepts requests, and runs until killed.
 */
public final class BundleFileServer {

    private static final int BUFFER = 256 * 1024;

    private final Path file;
    private final String etag;

    private BundleFileServer(Path file) throws IOException {
        this.file = file;
        this.etag = "\"" + sha256(file) + "\"";
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BundleFileServer <file> <port-file>");
            System.exit(2);
        }
        BundleFileServer bundles = new BundleFileServer(Path.of(args[0]));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", bundles::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        Path portFile = Path.of(args[1]);
        Path partial = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(partial, Integer.toString(server.getAddress().getPort()));
        Files.move(partial, portFile); // whoever waits for the file sees the whole port
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            long size = Files.size(file);
            String range = exchange.getRequestHeaders().getFirst("Range");
            String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            long from = 0;
            // Only "bytes=N-", the form devices resume with; anything else gets the whole file.
            if (range != null
                    && range.matches("bytes=\\d+-")
                    && (ifRange == null || ifRange.trim().equals(etag))) {
                from = Long.parseLong(range.substring(6, range.length() - 1));
                if (from >= size) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
            }
            exchange.sendResponseHeaders(from > 0 ? 206 : 200, size - from);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    InputStream in = Channels.newInputStream(channel.position(from));
                    // Large writes: the JDK server passes each write on to the socket as it comes.
                    OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), BUFFER)) {
                in.transferTo(out);
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
