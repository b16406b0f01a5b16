package dev.pgflip.lab.emulator;

import dev.pgflip.lab.tls.TestTls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metadata service answers about the droplet whose address the request comes from (127.0.0.1 here). */
class MetadataServiceTest {
    static final String TOKEN = "metadata-token";

    DigitalOceanEmulator emulator;
    ApiClient api;
    ApiClient anonymous;

    @BeforeEach
    void start() {
        emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN).actionDelay(Duration.ofMillis(50))
                .droplet(new EmulatedDroplet(1001, "pg1", "127.0.0.1", "10.78.0.11"))
                .droplet(new EmulatedDroplet(1002, "pg2", "10.77.0.12", null))
                .build();
        api = new ApiClient(emulator.baseUrl(), TOKEN);
        anonymous = new ApiClient(emulator.metadataUrl(), null);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void theCallerIsTheDropletWithItsSourceAddress() throws Exception {
        assertThat(anonymous.get("/metadata/v1/id").text()).isEqualTo("1001");
        assertThat(anonymous.get("/metadata/v1/hostname").text()).isEqualTo("pg1");
        assertThat(anonymous.get("/metadata/v1/region").text()).isEqualTo("lab1");
        assertThat(anonymous.get("/metadata/v1/interfaces/public/0/ipv4/address").text()).isEqualTo("127.0.0.1");
    }

    /** The guide's listen_addresses step reads the anchor IP by its own path, as on a droplet. */
    @Test
    void theAnchorAddressHasItsOwnPathLikeInTheDocument() throws Exception {
        JsonNode doc = anonymous.get("/metadata/v1.json").json();

        assertThat(anonymous.get("/metadata/v1/interfaces/public/0/anchor_ipv4/address").text())
                .isEqualTo(doc.path("interfaces").path("public").path(0).path("anchor_ipv4").path("ip_address").asText())
                .isEqualTo("10.78.0.11");
        assertThat(anonymous.get("/metadata/v1/interfaces/private/0/ipv4/address").text()).isEqualTo("10.78.0.11");
        assertThat(anonymous.get("/metadata/v1/interfaces/public/0/anchor_ipv6/address").status()).isEqualTo(404);
    }

    @Test
    void aDropletWithoutAFloatingIpReportsItInactive() throws Exception {
        assertThat(anonymous.get("/metadata/v1/floating_ip/ipv4/active").text()).isEqualTo("false");
        assertThat(anonymous.get("/metadata/v1/floating_ip/ipv4/ip_address").status()).isEqualTo(404);
        JsonNode doc = anonymous.get("/metadata/v1.json").json();
        assertThat(doc.get("floating_ip").get("ipv4").get("active").asBoolean()).isFalse();
    }

    @Test
    void anAssignedFloatingIpShowsUpUnderBothNamesOnceTheActionCompletes() throws Exception {
        api.post("/v2/floating_ips", "{\"droplet_id\":1001,\"ip\":\"198.18.0.100\"}");

        api.awaitGet("/v2/floating_ips/198.18.0.100",
                a -> !a.json().get("floating_ip").get("droplet").isNull(), Duration.ofSeconds(5));

        assertThat(anonymous.get("/metadata/v1/floating_ip/ipv4/active").text()).isEqualTo("true");
        assertThat(anonymous.get("/metadata/v1/floating_ip/ipv4/ip_address").text()).isEqualTo("198.18.0.100");
        assertThat(anonymous.get("/metadata/v1/reserved_ip/ipv4/ip_address").text()).isEqualTo("198.18.0.100");
        JsonNode doc = anonymous.get("/metadata/v1.json").json();
        assertThat(doc.get("droplet_id").asLong()).isEqualTo(1001);
        assertThat(doc.get("hostname").asText()).isEqualTo("pg1");
        assertThat(doc.get("interfaces").get("public").get(0).get("ipv4").get("ip_address").asText())
                .isEqualTo("127.0.0.1");
        assertThat(doc.get("floating_ip").get("ipv4").get("ip_address").asText()).isEqualTo("198.18.0.100");
        assertThat(doc.get("reserved_ip").get("ipv4").get("active").asBoolean()).isTrue();
    }

    @Test
    void aCallerThatIsNoDropletIsNotFound() throws Exception {
        emulator.close();
        emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN)
                .droplet(new EmulatedDroplet(1002, "pg2", "10.77.0.12", null)).build();

        ApiClient.Answer answer = new ApiClient(emulator.metadataUrl(), null).get("/metadata/v1/id");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.text()).isEqualTo("not a droplet: 127.0.0.1\n");
    }
}
