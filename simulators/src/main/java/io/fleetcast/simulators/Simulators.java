package io.fleetcast.simulators;

import io.fleetcast.simulators.bench.ProvisionConnectCommand;
import io.fleetcast.simulators.fanout.bench.FanoutCommand;
import io.fleetcast.simulators.fanout.bench.FanoutReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Entry point of the simulator jar: one subcommand per scenario. */
@Command(
        name = "simulators",
        mixinStandardHelpOptions = true,
        description = "Simulated Fleetcast devices for load tests and benchmarks.",
        subcommands = {
            ProvisionConnectCommand.class,
            FanoutCommand.class,
            FanoutReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Simulators implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Simulators()).execute(args));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
