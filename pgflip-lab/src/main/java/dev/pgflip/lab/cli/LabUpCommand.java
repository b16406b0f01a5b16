package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabDown;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.LabUp;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.install.AgentPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {
            "Bring the lab up (idempotent).",
            "",
            "Create the bridge and namespaces, initdb/clone/register n1 (primary), n2",
            "(standby), n3 (witness), start repmgrd on all three and the DigitalOcean",
            "emulator, create the floating IP through the emulator's API on n1's droplet, and",
            "wait until a write through it works. Idempotent: a healthy lab is left as it is;",
            "a broken or half-made one is torn down and made again.",
            "",
            "The nodes run what a droplet runs: the agent's Debian package is installed on",
            "this machine (dpkg -i; 'lab down' purges it, and 'lab up' refuses where a",
            "pgflip-agent the lab did not install is present), and each node sees its own",
            "/etc/repmgr.conf, /etc/pgflip/agent.yaml and /etc/default/repmgrd (written to",
            "/etc/netns/NODE/, which 'ip netns exec' mounts over /etc). repmgrd runs",
            "/usr/bin/pgflip-promote and /usr/bin/pgflip-event; 'pgflip watch' runs as",
            "pgflip-watch.service would."
        })
public final class LabUpCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Option(names = "--agent-package", paramLabel = "FILE",
            description = "The pgflip-agent .deb the nodes run (default: the newest that the build left in"
                    + " pgflip-agent/target/ of the source tree this jar was built in).")
    Path agentPackage;

    @Override
    public Integer call() {
        ensureUp(options.lab(), new Progress(System.out), agentPackage);
        return 0;
    }

    /** A healthy lab is left as it is; a broken or half-made one is torn down and made again. */
    static void ensureUp(Lab lab, Progress progress, Path agentPackage) {
        if (Files.exists(lab.layout().stateFile())) {
            LabStatus status = LabStatus.read(lab);
            if (status.healthy()) {
                progress.step("lab already up and healthy in %s", lab.layout().root());
                System.out.print(status.table());
                return;
            }
            progress.step("found an unhealthy or half-made lab in %s: tearing it down first", lab.layout().root());
            new LabDown(lab, progress).run();
        }
        Path jar = JarLocation.current();
        new LabUp(lab, progress, jar, AgentPackage.locate(agentPackage, jar)).run();
        System.out.print(LabStatus.read(lab).table());
    }

    /** Where the running pgflip jar is; the lab copies it so repmgrd can run the agent. */
    static final class JarLocation {
        static Path current() {
            String override = System.getProperty("pgflip.jar");
            if (override != null) {
                return Path.of(override);
            }
            try {
                Path self = Path.of(LabUpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isRegularFile(self)) {
                    return self;
                }
            } catch (java.net.URISyntaxException e) {
                // fall through to the explicit error
            }
            throw new dev.pgflip.lab.LabException("run the lab from the pgflip jar (./pgflip lab up), or set -Dpgflip.jar");
        }
    }
}
