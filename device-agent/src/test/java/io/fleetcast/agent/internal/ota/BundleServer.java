package io.fleetcast.agent.internal.ota;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server for bundles, with Range, If-Range and a strong ETag like the platform's artifact
 * store, and faults on request: a 404, a body cut short once, more bytes than the file has.
 */
final class BundleServer implements AutoCloseable {

    enum Fault {
        NONE,
        NOT_FOUND,
        /** The first response stops after half of what it promised, then the connection closes. */
        CUT_FIRST_RESPONSE,
        /** Sends garbage after the file, with a Content-Length that includes it. */
        EXTRA_BYTES,
        /** 503 on the first request. */
        UNAVAILABLE_FIRST
    }

    record Request(String range, String ifRange) {}

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile Fault fault = Fault.NONE;

    BundleServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String put(String name, byte[] content) {
        files.put("/" + name, content);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
        requests.add(new Request(range, ifRange));
        byte[] file = files.get(exchange.getRequestURI().getPath());
        if (fault == Fault.NOT_FOUND || file == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        if (fault == Fault.UNAVAILABLE_FIRST && requests.size() == 1) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(file)) + "\"";
        exchange.getResponseHeaders().set("ETag", etag);
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        int from = 0;
        if (range != null && range.startsWith("bytes=") && (ifRange == null || ifRange.equals(etag))) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            exchange.getResponseHeaders()
                    .set("Content-Range", "bytes " + from + "-" + (file.length - 1) + "/" + file.length);
        }
        int length = file.length - from;
        byte[] extra = fault == Fault.EXTRA_BYTES ? new byte[100_000] : new byte[0];
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, length + extra.length);
        OutputStream out = exchange.getResponseBody();
        try {
            if (fault == Fault.CUT_FIRST_RESPONSE && requests.size() == 1) {
                out.write(file, from, length / 2);
                out.flush();
            } else {
                out.write(file, from, length);
                out.write(extra);
            }
        } finally {
            try {
                // Closing short of the Content-Length breaks the connection: the client sees the body end early.
                exchange.close();
            } catch (RuntimeException ignored) {
                // the JDK server complains about the missing bytes, which is the point
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
