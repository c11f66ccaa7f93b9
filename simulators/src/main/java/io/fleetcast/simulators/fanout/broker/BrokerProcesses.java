package io.fleetcast.simulators.fanout.broker;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starting a broker process: CPU pinning, output to a log file, waiting until it listens. */
final class BrokerProcesses {

    private BrokerProcesses() {}

    /** Whether an executable of this name is on the PATH. */
    static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Path.of(dir, executable).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts {@code command} pinned with taskset, which execs it, so the process id is the
     * broker's own. The broker inherits this JVM's open-file limit.
     */
    static Process start(BrokerSetup setup, List<String> command, Map<String, String> environment) throws IOException {
        List<String> full = new ArrayList<>();
        if (!setup.cpus().isEmpty()) {
            full.addAll(List.of("taskset", "-c", setup.cpus()));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(setup.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(setup.log().toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits until the port accepts a TCP connection; fails with the log's tail if the process exits. */
    static void awaitListening(Process process, BrokerSetup setup, String name) throws InterruptedException {
        long deadline = System.nanoTime() + setup.readyTimeout().toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new BrokerFailure(name + " exited with status " + process.exitValue() + ": "
                        + lastLine(RunningBroker.tail(setup.log(), 5)));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", setup.port()), 500);
                return;
            } catch (IOException notYet) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new BrokerFailure(name + " not listening on port " + setup.port() + " after "
                        + setup.readyTimeout().toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1];
    }

    /** First line of a command's output, e.g. a version banner; "unknown" if it fails. */
    static String firstLine(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out.strip().split("\\R")[0];
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The java launcher of this JVM, so that Java brokers run on the same JDK as the harness. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
