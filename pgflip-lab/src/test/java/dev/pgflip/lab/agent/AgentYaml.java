package dev.pgflip.lab.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.pgflip.lab.tls.TestTls;

/** The agent's YAML config for a test, pointing at the emulator; defaults suit a fast test run. */
final class AgentYaml {
    private final Path dir;
    private final URI emulator;
    private final URI emulatorMetadata;
    private Path tokenFile;
    private String caFile;
    private final Path eventsLog;
    private String deadline = "10s";
    private String resource = "floating_ips";
    private String requestTimeout = "2s";
    private String metadataUrl;
    private String apiUrl;
    private String database;
    private String flipIp = EmulatedCloud.FLIP;
    private Long dropletId;

    AgentYaml(Path dir, URI emulator, URI emulatorMetadata, Path tokenFile, Path eventsLog) {
        this.dir = dir;
        this.emulator = emulator;
        this.emulatorMetadata = emulatorMetadata;
        this.caFile = TestTls.caFile().toString();
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

    /** {@code flip.ip}; default: the emulator's floating IP. */
    AgentYaml flipIp(String value) {
        flipIp = value;
        return this;
    }

    /** {@code node.database} at {@code host:port} (for {@code pgflip watch}); default: none. */
    AgentYaml database(String host, int port) {
        database = "database: {host: " + host + ", port: " + port + ", dbname: repmgr, user: repmgr}";
        return this;
    }

    /** {@code digitalocean.api_url}; default: the emulator's API. */
    AgentYaml apiUrl(String value) {
        apiUrl = value;
        return this;
    }

    /** {@code digitalocean.metadata_url}; default: the emulator's metadata service. */
    AgentYaml metadataUrl(String value) {
        metadataUrl = value;
        return this;
    }

    /** {@code node.droplet_id}; default: none, so the agent asks the metadata service. */
    AgentYaml dropletId(long value) {
        dropletId = value;
        return this;
    }

    /** {@code digitalocean.ca_file}; default the test CA that signed the emulator's certificate; null leaves it out. */
    AgentYaml caFile(String value) {
        caFile = value;
        return this;
    }

    /** {@code digitalocean.token_file}; null leaves it out, so the token must come from the environment. */
    AgentYaml tokenFile(Path value) {
        tokenFile = value;
        return this;
    }

    /** Writes {@code agent.yaml} and returns its path as the {@code --config} argument. */
    String write() throws IOException {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, String.join("\n",
                "node: {name: n2" + (dropletId == null ? "" : ", droplet_id: " + dropletId)
                        + (database == null ? "" : ", " + database) + "}",
                "flip: {ip: " + flipIp + ", provider: digitalocean}",
                "promote:",
                "  command: [/bin/false]",
                "  deadline: " + deadline,
                "digitalocean:",
                "  api_url: " + (apiUrl == null ? emulator : apiUrl),
                caFile == null ? "  # no ca_file: the JDK's trust store" : "  ca_file: " + caFile,
                "  metadata_url: " + (metadataUrl == null ? emulatorMetadata : metadataUrl),
                tokenFile == null ? "  # token from DIGITALOCEAN_ACCESS_TOKEN" : "  token_file: " + tokenFile,
                "  resource: " + resource,
                "  poll_interval: 25ms",
                "  request_timeout: " + requestTimeout,
                "events: {log_file: " + eventsLog + "}",
                ""));
        return file.toString();
    }
}
