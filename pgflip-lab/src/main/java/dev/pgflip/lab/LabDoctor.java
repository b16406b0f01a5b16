package dev.pgflip.lab;

import dev.pgflip.agent.doctor.DoctorOutput;
import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.lab.process.CommandFailedException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code pgflip doctor} as it runs on a lab node: the installed package's /usr/bin/pgflip (the one repmgrd starts),
 * inside the node's network namespace (the metadata service knows a droplet by its address, and the node sees its own
 * /etc) as postgres (the user repmgrd runs as, so "readable" means readable by it), with the node's
 * /etc/pgflip/agent.yaml and /etc/repmgr.conf.
 */
public final class LabDoctor {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Lab lab;

    public LabDoctor(Lab lab) {
        this.lab = lab;
    }

    /** Runs the doctor on {@code nodeName} with the user's terminal and returns its exit code (the failed checks). */
    public int run(String nodeName, DoctorOutput.Format format) {
        LabNode node = lab.topology().find(nodeName).orElseThrow(() -> new LabException("unknown node '" + nodeName
                + "': the lab has " + lab.topology().nodes().stream().map(LabNode::name).toList()));
        LabLayout layout = lab.layout();
        if (!Files.exists(layout.marker()) || !Files.exists(layout.agentConf(node)) || !Files.exists(DebianLayout.LAUNCHER)) {
            throw new LabException("no lab in " + layout.root() + ": start one with 'pgflip lab up', or name its directory"
                    + " (--lab-dir DIR, lab doctor --dir DIR or " + LabLayout.DIR_ENV + ")");
        }
        List<String> argv = lab.postgres(node).asPostgres(DebianLayout.LAUNCHER.toString(), "doctor",
                "--config", LabLayout.NODE_AGENT_CONF.toString(), "--repmgr-config", LabLayout.NODE_REPMGR_CONF.toString(),
                "--output", format.name().toLowerCase(Locale.ROOT));
        try {
            return lab.commands().runInForeground(argv, TIMEOUT);
        } catch (CommandFailedException e) {
            throw new LabException("pgflip doctor on " + node.name() + ": " + e.getMessage(), e);
        }
    }
}
