package dev.pgflip.agent.config;

import java.util.List;

/** {@code exec}: an external command that moves the address; gets PGFLIP_* variables in its environment. */
public record ExecConfig(List<String> command) {
    public ExecConfig {
        command = List.copyOf(command);
    }
}
