package dev.pgflip.agent.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.testing.ScriptedApi;
import dev.pgflip.agent.time.Deadline;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetadataClientTest {
    @Test
    void readsDropletIdAndFloatingIpState() throws Exception {
        try (ScriptedApi md = ScriptedApi.plainHttp()) {
            md.on("GET /metadata/v1/id", 200, "1002\n")
                    .on("GET /metadata/v1/floating_ip/ipv4/active", 200, "true")
                    .on("GET /metadata/v1/reserved_ip/ipv4/active", 500, "")
                    .on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "false");
            MetadataClient client = new MetadataClient(URI.create(md.url() + "/metadata/v1"), Duration.ofSeconds(1), RetryPolicy.defaults());
            Deadline d = Deadline.after(Duration.ofSeconds(3));

            assertThat(client.dropletId(d)).isEqualTo(1002);
            assertThat(client.floatingIpActive(IpResource.FLOATING_IPS, d)).isTrue();
            assertThat(client.floatingIpActive(IpResource.RESERVED_IPS, d)).isFalse();
        }
    }

    @Test
    void theActiveFloatingIpIsAskedOnlyWhenOneIsActive() throws Exception {
        try (ScriptedApi md = ScriptedApi.plainHttp()) {
            md.on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "true")
                    .on("GET /metadata/v1/reserved_ip/ipv4/ip_address", 200, "198.18.0.100\n")
                    .on("GET /metadata/v1/floating_ip/ipv4/active", 200, "false");
            MetadataClient client = new MetadataClient(URI.create(md.url() + "/metadata/v1"), Duration.ofSeconds(1), RetryPolicy.defaults());
            Deadline d = Deadline.after(Duration.ofSeconds(3));

            assertThat(client.activeFloatingIp(IpResource.RESERVED_IPS, d)).contains("198.18.0.100");
            assertThat(client.activeFloatingIp(IpResource.FLOATING_IPS, d)).isEmpty();
            assertThat(md.count("GET /metadata/v1/floating_ip/ipv4/ip_address")).isZero();
        }
    }

    @Test
    void garbageIdTellsToSetDropletIdInTheConfig() throws Exception {
        try (ScriptedApi md = ScriptedApi.plainHttp()) {
            md.on("GET /metadata/v1/id", 200, "<html>");
            MetadataClient client = new MetadataClient(URI.create(md.url() + "/metadata/v1"), Duration.ofSeconds(1), RetryPolicy.defaults());
            assertThatThrownBy(() -> client.dropletId(Deadline.after(Duration.ofSeconds(2))))
                    .isInstanceOf(PgflipException.class)
                    .hasMessageContaining("node.droplet_id");
        }
    }
}
