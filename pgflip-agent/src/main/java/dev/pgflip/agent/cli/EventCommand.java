package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.event.EventRecorder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgflip event}: repmgr's event_notification_command. */
@Command(name = "event", mixinStandardHelpOptions = true,
        description = {
            "Record a repmgr event as one JSON line in events.log_file.",
            "",
            "Also prints the line. For repmgr's event_notification_command:",
            "  event_notification_command='pgflip event --config /etc/pgflip/agent.yaml %%n %%e %%s \"%%t\" \"%%d\"'",
            "Without --config the file is taken from PGFLIP_EVENTS_LOG. Failed events are",
            "recorded too (exit 0). A wrapper that records the event in the background may",
            "pass the moment repmgr called it as PGFLIP_CALLED_AT (Unix epoch milliseconds);",
            "\"ts\" is then that moment."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:recorded", "2:usage or configuration error, or the file cannot be written"})
final class EventCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The agent's YAML configuration (events.log_file, node.name).")
    Path configFile;

    @Parameters(index = "0", paramLabel = "NODE_ID", description = "repmgr %%n")
    String nodeId;

    @Parameters(index = "1", paramLabel = "EVENT", description = "repmgr %%e, e.g. standby_promote")
    String event;

    @Parameters(index = "2", paramLabel = "SUCCESS", description = "repmgr %%s: 1 or 0")
    String success;

    @Parameters(index = "3", paramLabel = "TIMESTAMP", description = "repmgr %%t (quote it: it contains a space)")
    String timestamp;

    @Parameters(index = "4..*", arity = "0..*", paramLabel = "DETAILS", description = "repmgr %%d (words are joined)")
    List<String> details;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var env = Environment.current();
        String line = EventRecorder.record(Optional.ofNullable(configFile), env, nodeId, event, success,
                timestamp, details == null ? "" : String.join(" ", details), EventRecorder.calledAt(env, Instant.now()));
        spec.commandLine().getOut().println(line);
        return ExitCode.OK.code();
    }
}
