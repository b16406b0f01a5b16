package dev.pgflip.agent.doctor;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.MetadataClient;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.time.Deadline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/** This node's droplet id, the one promote and watch assign the IP to: node.droplet_id, else the metadata service. */
final class DropletIdCheck {
    private static final Duration BUDGET = Duration.ofSeconds(3);

    private final AgentConfig config;
    private final Path configFile;

    DropletIdCheck(AgentConfig config, Path configFile) {
        this.config = config;
        this.configFile = configFile;
    }

    OptionalLong run(DoctorReport report) {
        OptionalLong configured = config.requireNode().dropletId();
        if (configured.isPresent()) {
            report.add(CheckResult.ok("droplet_id", "droplet id " + configured.getAsLong() + " (node.droplet_id)"));
            return configured;
        }
        DigitalOceanConfig doc = config.requireDigitalOcean();
        try {
            long id = new MetadataClient(doc.metadataUrl(), doc.requestTimeout(), RetryPolicy.defaults())
                    .dropletId(Deadline.after(BUDGET));
            report.add(CheckResult.ok("droplet_id", "droplet id " + id + " (metadata service " + doc.metadataUrl() + ")"));
            return OptionalLong.of(id);
        } catch (PgflipException e) {
            report.add(CheckResult.fail("droplet_id", "this node's droplet id is unknown: " + e.getMessage(),
                    "run pgflip doctor on the droplet itself (the metadata service answers only there), fix"
                            + " digitalocean.metadata_url, or set node.droplet_id in " + configFile));
            return OptionalLong.empty();
        }
    }
}
