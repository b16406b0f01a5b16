package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabDown;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.LabTopology;
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
            "(standby), n3 (witness) and, with --standbys 2 or 3, n4 and n5 (standbys,",
            "198.18.0.14 and .15), start repmgrd on every node and the DigitalOcean",
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

    @Option(names = "--standbys", paramLabel = "N",
            description = "How many standbys: 1 (n2, the default), 2 (n2, n4) or 3 (n2, n4, n5). A lab already up"
                    + " with another number is taken down and made again; without the option, a lab that is up keeps"
                    + " its number.")
    Integer standbys;

    @Override
    public Integer call() {
        ensureUp(options.lab(), new Progress(System.out), agentPackage, standbys);
        return 0;
    }

    /** {@link #ensureUp(Lab, Progress, Path, Integer)} keeping the number of standbys a lab that is up has. */
    static Lab ensureUp(Lab lab, Progress progress, Path agentPackage) {
        return ensureUp(lab, progress, agentPackage, null);
    }

    /**
     * A healthy lab of the wanted shape is left as it is; a broken or half-made one, or one with another number of
     * standbys, is torn down and made again. Returns the lab that is up.
     */
    static Lab ensureUp(Lab lab, Progress progress, Path agentPackage, Integer standbys) {
        int wanted = standbys != null ? standbys : lab.topology().standbys().size();
        LabTopology shape = LabTopology.withStandbys(wanted);
        if (Files.exists(lab.layout().stateFile())) {
            LabStatus status = LabStatus.read(lab);
            boolean sameShape = lab.topology().equals(shape);
            if (status.healthy() && sameShape) {
                progress.step("lab already up and healthy in %s", lab.layout().root());
                System.out.print(status.table());
                return lab;
            }
            progress.step(sameShape ? "found an unhealthy or half-made lab in %s: tearing it down first"
                    : "the lab in %s has " + lab.topology().standbys().size() + " standby(s), " + wanted
                    + " wanted: tearing it down first", lab.layout().root());
            new LabDown(lab, progress).run();
        }
        Lab shaped = new Lab(lab.layout(), shape);
        Path jar = JarLocation.current();
        new LabUp(shaped, progress, jar, AgentPackage.locate(agentPackage, jar)).run();
        System.out.print(LabStatus.read(shaped).table());
        return shaped;
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
