package dev.pgflip.lab.emulator;

import dev.pgflip.lab.tls.TestTls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request/answer shapes of DO-API-NOTES.md, over real HTTP; one emulator for the class. */
class ApiContractTest {
    static final String TOKEN = "contract-token";
    static DigitalOceanEmulator emulator;
    static ApiClient api;

    @BeforeAll
    static void start() {
        emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN).actionDelay(Duration.ofMillis(50))
                .droplet(new EmulatedDroplet(1001, "pg1", "10.77.0.11", "10.78.0.11"))
                .droplet(new EmulatedDroplet(1002, "pg2", "10.77.0.12", null))
                .droplet(new EmulatedDroplet(2001, "far1", "10.77.1.11", null, "lab2"))
                .build();
        api = new ApiClient(emulator.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void requestsWithoutATokenAreUnauthorized() throws Exception {
        ApiClient.Answer answer = api.withToken(null).get("/v2/floating_ips");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(answer.json().get("id").asText()).isEqualTo("unauthorized");
        assertThat(answer.json().get("message").asText()).isEqualTo("Unable to authenticate you.");
        assertThat(UUID.fromString(answer.json().get("request_id").asText())).isNotNull();
    }

    @Test
    void requestsWithAWrongTokenAreUnauthorized() throws Exception {
        assertThat(api.withToken("contract-tokenX").get("/v2/droplets").status()).isEqualTo(401);
        assertThat(api.withToken("").get("/v2/droplets").status()).isEqualTo(401);
    }

    @Test
    void theAccountAnswersWithTheRealShapeAndOnlyToTheToken() throws Exception {
        ApiClient.Answer answer = api.get("/v2/account");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode account = answer.json().get("account");
        assertThat(account.get("status").asText()).isEqualTo("active");
        assertThat(account.get("status_message").asText()).isEmpty();
        assertThat(account.get("droplet_limit").asInt()).isPositive();
        assertThat(account.get("floating_ip_limit").asInt()).isPositive();
        assertThat(account.get("email_verified").asBoolean()).isTrue();
        assertThat(UUID.fromString(account.get("uuid").asText())).isNotNull();
        assertThat(account.get("team").get("name").asText()).isNotBlank();
        assertThat(answer.headers().firstValue("ratelimit-remaining")).isPresent();
        assertThat(api.withToken("contract-tokenX").get("/v2/account").status()).isEqualTo(401);
        assertThat(api.post("/v2/account", "{}").status()).isEqualTo(405);
    }

    @Test
    void unknownIpDropletAndActionAreNotFound() throws Exception {
        for (String path : new String[] {"/v2/floating_ips/198.18.9.9", "/v2/reserved_ips/not-an-ip",
                "/v2/droplets/999", "/v2/actions/424242", "/v2/floating_ips/198.18.9.9/actions"}) {
            ApiClient.Answer answer = api.get(path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.json().get("id").asText()).as(path).isEqualTo("not_found");
            assertThat(answer.json().get("message").asText())
                    .isEqualTo("The resource you were accessing could not be found.");
        }
    }

    @Test
    void creatingInARegionAnswers202WithAnUnassignedIpFromThePool() throws Exception {
        ApiClient.Answer answer = api.post("/v2/floating_ips", "{\"region\":\"lab1\"}");

        assertThat(answer.status()).isEqualTo(202);
        JsonNode ip = answer.json().get("floating_ip");
        assertThat(ip.get("ip").asText()).startsWith("198.18.0.");
        assertThat(IpPool.parse("198.18.0.96/28").contains(Ipv4.parse(ip.get("ip").asText()))).isTrue();
        assertThat(ip.get("droplet").isNull()).isTrue();
        assertThat(ip.get("locked").asBoolean()).isFalse();
        assertThat(ip.get("region").get("slug").asText()).isEqualTo("lab1");
        assertThat(ip.get("region").get("available").asBoolean()).isTrue();
        assertThat(UUID.fromString(ip.get("project_id").asText())).isNotNull();
        assertThat(answer.json().get("links").get("actions")).isEmpty();
        assertThat(api.get("/v2/floating_ips/" + ip.get("ip").asText()).status()).isEqualTo(200);
    }

    @Test
    void creatingAChosenAddressTwiceIsRefused() throws Exception {
        String body = "{\"region\":\"lab1\",\"ip\":\"198.18.0.200\"}";

        assertThat(api.post("/v2/reserved_ips", body).json().get("reserved_ip").get("ip").asText())
                .isEqualTo("198.18.0.200");
        ApiClient.Answer again = api.post("/v2/floating_ips", body);
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.json().get("id").asText()).isEqualTo("unprocessable_entity");
    }

    @Test
    void createBodiesThatNameNeitherRegionNorDropletAreUnprocessable() throws Exception {
        ApiClient.Answer answer = api.post("/v2/floating_ips", "{}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().get("message").asText()).contains("droplet_id").contains("region");
        assertThat(api.post("/v2/floating_ips", "{\"region\":\"mars1\"}").json().get("message").asText())
                .contains("region");
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        ApiClient.Answer answer = api.post("/v2/floating_ips", "{\"region\":");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("id").asText()).isEqualTo("bad_request");
    }

    @Test
    void bothNamesShowTheSameStoreUnderTheirOwnKeys() throws Exception {
        String ip = api.post("/v2/floating_ips", "{\"region\":\"lab1\",\"ip\":\"198.18.0.201\"}")
                .json().get("floating_ip").get("ip").asText();

        JsonNode asReserved = api.get("/v2/reserved_ips/" + ip).json();
        assertThat(asReserved.get("reserved_ip").get("ip").asText()).isEqualTo(ip);
        assertThat(asReserved.has("floating_ip")).isFalse();
        assertThat(api.get("/v2/reserved_ips?per_page=200").json().get("reserved_ips"))
                .extracting(n -> n.get("ip").asText()).contains(ip);
        assertThat(api.get("/v2/floating_ips?per_page=200").json().get("floating_ips"))
                .extracting(n -> n.get("ip").asText()).contains(ip);
    }

    @Test
    void listsPaginateWithAbsoluteLinksAndATotal() throws Exception {
        api.post("/v2/floating_ips", "{\"region\":\"lab1\",\"ip\":\"198.18.0.210\"}");
        api.post("/v2/floating_ips", "{\"region\":\"lab1\",\"ip\":\"198.18.0.211\"}");
        int total = api.get("/v2/floating_ips").json().get("meta").get("total").asInt();
        assertThat(total).isGreaterThanOrEqualTo(2);

        JsonNode first = api.get("/v2/floating_ips?per_page=1").json();
        assertThat(first.get("floating_ips")).hasSize(1);
        assertThat(first.get("meta").get("total").asInt()).isEqualTo(total);
        JsonNode pages = first.get("links").get("pages");
        String origin = emulator.baseUrl().toString();
        assertThat(pages.get("next").asText()).isEqualTo(origin + "/v2/floating_ips?page=2&per_page=1");
        assertThat(pages.get("last").asText()).isEqualTo(origin + "/v2/floating_ips?page=" + total + "&per_page=1");
        assertThat(pages.has("prev")).isFalse();

        JsonNode second = api.get(pages.get("next").asText()).json();
        assertThat(second.get("floating_ips").get(0).get("ip").asText())
                .isNotEqualTo(first.get("floating_ips").get(0).get("ip").asText());
        assertThat(second.get("links").get("pages").get("first").asText()).endsWith("page=1&per_page=1");
        assertThat(second.get("links").get("pages").get("prev").asText()).endsWith("page=1&per_page=1");
    }

    @Test
    void aSinglePageHasEmptyPageLinks() throws Exception {
        JsonNode droplets = api.get("/v2/droplets").json();

        assertThat(droplets.get("links").get("pages").size()).isZero();
        assertThat(droplets.get("meta").get("total").asInt()).isEqualTo(3);
        assertThat(droplets.get("droplets")).extracting(d -> d.get("id").asLong()).containsExactly(1001L, 1002L, 2001L);
    }

    @Test
    void aDropletShowsItsNetworksAndRegion() throws Exception {
        JsonNode droplet = api.get("/v2/droplets/1001").json().get("droplet");

        assertThat(droplet.get("name").asText()).isEqualTo("pg1");
        assertThat(droplet.get("status").asText()).isEqualTo("active");
        assertThat(droplet.get("locked").asBoolean()).isFalse();
        assertThat(droplet.get("region").get("slug").asText()).isEqualTo("lab1");
        assertThat(droplet.get("networks").get("v4")).extracting(n -> n.get("type").asText() + "=" + n.get("ip_address").asText())
                .containsExactly("public=10.77.0.11", "private=10.78.0.11");
        assertThat(droplet.get("image").get("public").asBoolean()).isTrue();
    }

    @Test
    void deletingAnIpAnswers204AndItIsGone() throws Exception {
        api.post("/v2/floating_ips", "{\"region\":\"lab1\",\"ip\":\"198.18.0.220\"}");

        ApiClient.Answer deleted = api.delete("/v2/floating_ips/198.18.0.220");

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        assertThat(api.get("/v2/floating_ips/198.18.0.220").status()).isEqualTo(404);
    }
}
