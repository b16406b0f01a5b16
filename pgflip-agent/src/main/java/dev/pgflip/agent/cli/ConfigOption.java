package dev.pgflip.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option. */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "The agent's YAML configuration (node, flip, promote, digitalocean, local, exec, events).")
    Path file;
}
