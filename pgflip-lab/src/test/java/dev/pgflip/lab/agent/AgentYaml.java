package dev.pgflip.lab.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** The agent's YAML config for a test, pointing at the emulator; defaults suit a fast test run. */
final class AgentYaml {
    private final Path dir;
    private final URI emulator;
    private Path tokenFile;
    private final Path eventsLog;
    private String deadline = "10s";
    private String resource = "floating_ips";
    private String requestTimeout = "2s";

    AgentYaml(Path dir, URI emulator, Path tokenFile, Path eventsLog) {
        this.dir = dir;
        this.emulator = emulator;
        this.tokenFile = tokenFile;
        this.eventsLog = eventsLog;
    }

    /** {@code promote.deadline}, the whole hook's budget. */
    AgentYaml deadline(String value) {
        deadline = value;
        return this;
    }

    /** {@code digitalocean.resource}: floating_ips or reserved_ips. */
    AgentYaml resource(String value) {
        resource = value;
        return this;
    }

    AgentYaml requestTimeout(String value) {
        requestTimeout = value;
        return this;
    }

    AgentYaml tokenFile(Path value) {
        tokenFile = value;
        return this;
    }

    /** Writes {@code agent.yaml} and returns its path as the {@code --config} argument. */
    String write() throws IOException {
        Path file = dir.resolve("agent.yaml");
        // No node.droplet_id: the agent must learn it from the metadata service.
        Files.writeString(file, String.join("\n",
                "node: {name: n2}",
                "flip: {ip: " + EmulatedCloud.FLIP + ", provider: digitalocean}",
                "promote:",
                "  command: [/bin/false]",
                "  deadline: " + deadline,
                "digitalocean:",
                "  api_url: " + emulator,
                "  metadata_url: " + emulator + "/metadata/v1",
                "  token_file: " + tokenFile,
                "  resource: " + resource,
                "  poll_interval: 25ms",
                "  request_timeout: " + requestTimeout,
                "events: {log_file: " + eventsLog + "}",
                ""));
        return file.toString();
    }
}
