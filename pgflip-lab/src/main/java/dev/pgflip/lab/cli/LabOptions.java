package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.RecordedTopology;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every lab subcommand shares. */
public final class LabOptions {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Lab state directory (PIDs, data directories, logs, generated configs). "
                    + "Default: $" + LabLayout.DIR_ENV + " or /tmp/pgflip-lab.")
    Path dir;

    public Lab lab() {
        LabLayout layout = LabLayout.resolve(dir);
        return new Lab(layout, RecordedTopology.read(layout));
    }
}
