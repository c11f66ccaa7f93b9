package io.fleetcast.simulators.fanout.broker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HiveMQ Community Edition, embedded in a JVM of its own through {@link HiveMqMain}. The classpath
 * is this module's classes plus the one bench/hivemq/pom.xml resolves with HiveMQ's own dependency
 * versions (fanout.sh writes it to a file).
 */
public final class HiveMqLauncher implements BrokerLauncher {

    private final Path classpathFile;
    private final String version;

    /**
     * @param classpathFile HiveMQ's dependencies, one classpath string
     * @param version reported in results
     */
    public HiveMqLauncher(Path classpathFile, String version) {
        this.classpathFile = classpathFile;
        this.version = version;
    }

    @Override
    public String name() {
        return "hivemq";
    }

    @Override
    public String unavailableReason() {
        if (classpathFile == null || !Files.isRegularFile(classpathFile)) {
            return "HiveMQ classpath file missing (" + classpathFile + "); fanout.sh writes it";
        }
        return null;
    }

    @Override
    public RunningBroker start(BrokerSetup setup) throws IOException, InterruptedException {
        if (unavailableReason() != null) {
            throw new BrokerFailure(unavailableReason());
        }
        String ownClasses = Path.of(HiveMqMain.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .toString();
        String classpath = ownClasses
                + File.pathSeparator
                + Files.readString(classpathFile).strip();
        List<String> command = new ArrayList<>();
        command.add(BrokerProcesses.java());
        command.addAll(setup.jvmOptions());
        command.addAll(List.of(
                "-cp",
                classpath,
                HiveMqMain.class.getName(),
                Integer.toString(setup.port()),
                setup.workDir().toString()));
        Process process = BrokerProcesses.start(setup, command, Map.of());
        BrokerProcesses.awaitListening(process, setup, name());
        return new RunningBroker(name(), version, process, true, setup);
    }
}
