package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabNode;
import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.lab.process.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A planned switchover under the load: {@code pgflip switchover --to STANDBY} on the primary, as an operator runs it,
 * the installed agent in the primary's namespace. It runs beside the run's clock (the fault's time is its start), and
 * its output goes to {@code logs/switchover.log}. Done when it exits 0: the standby is the primary and the old primary
 * streams from it.
 */
final class SwitchoverScenario implements FaultScenario {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

    private final Lab lab;
    private final LabNode standby;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private CompletableFuture<CommandResult> command;

    SwitchoverScenario(Lab lab, RunStart start) {
        this.lab = lab;
        this.standby = start.standby();
    }

    @Override
    public void inject(LabNode primary) {
        var argv = lab.postgres(primary).asPostgres(DebianLayout.LAUNCHER.toString(), "switchover", "--to",
                standby.name(), "--config", LabLayout.NODE_AGENT_CONF.toString());
        command = CompletableFuture.supplyAsync(() -> lab.commands().attempt(argv, COMMAND_TIMEOUT));
    }

    @Override
    public void afterRecovery(RunStage stage) throws InterruptedException {
        CommandResult result;
        try {
            result = command.get(COMMAND_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            stage.step("pgflip switchover did not finish: %s", e.toString());
            return;
        }
        long done = System.currentTimeMillis();
        try {
            Files.writeString(lab.layout().logs().resolve("switchover.log"), "exit " + result.exitCode() + "\n"
                    + result.output() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (result.succeeded()) {
            phases.put(Phase.SWITCHOVER_DONE, done);
            stage.step("pgflip switchover --to %s exited 0 (logs/switchover.log)", standby.name());
        } else {
            stage.step("pgflip switchover --to %s exited %d (logs/switchover.log): %s", standby.name(),
                    result.exitCode(), lastLine(result.output()));
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        return lines[lines.length - 1];
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }
}
