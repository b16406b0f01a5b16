package dev.pgflip.agent.doctor;

import static dev.pgflip.agent.testing.ScriptedApi.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.IpResource;
import dev.pgflip.agent.testing.ScriptedApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenChecksTest {
    static final String SECRET = "doctor-test-token-not-real-0123";
    static final String ACCOUNT = "{\"account\":{\"droplet_limit\":25,\"floating_ip_limit\":5,\"uuid\":\"u-1\","
            + "\"email_verified\":true,\"status\":\"active\",\"status_message\":\"\"}}";

    @TempDir
    Path dir;
    ScriptedApi api;
    Path tokenFile;
    DoctorReport report = new DoctorReport();

    @BeforeEach
    void start() throws Exception {
        api = new ScriptedApi();
        tokenFile = dir.resolve("do-token");
        Files.writeString(tokenFile, SECRET + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    TokenChecks checks(Optional<Path> file, Map<String, String> env) {
        DigitalOceanConfig doc = new DigitalOceanConfig(api.url(), ScriptedApi.trust(), file, api.url().resolve("/metadata/v1"),
                IpResource.FLOATING_IPS, Duration.ofMillis(50), Duration.ofSeconds(1));
        return new TokenChecks(doc, env, Path.of("/etc/pgflip/pgflip.yaml"));
    }

    CheckResult result(String check) {
        return report.results().stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void aPrivateTokenTheApiAcceptsPassesBothChecks() {
        api.on("GET /v2/account", 200, ACCOUNT);

        assertThat(checks(Optional.of(tokenFile), Map.of()).run(report)).isPresent();

        assertThat(result("token").status()).isEqualTo(CheckStatus.OK);
        assertThat(result("token").message()).contains("mode 0600");
        assertThat(result("token_accepted").status()).isEqualTo(CheckStatus.OK);
        assertThat(api.requests().get(0).authorization()).isEqualTo("Bearer " + SECRET);
        assertThat(report.results().toString()).doesNotContain(SECRET);
    }

    @Test
    void aFileOthersCanReadFailsWithChmodAndTheApiIsNotAsked() throws Exception {
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(checks(Optional.of(tokenFile), Map.of()).run(report)).isEmpty();

        assertThat(result("token").failed()).isTrue();
        assertThat(result("token").message()).contains("mode 0644");
        assertThat(result("token").fix()).contains("chmod 600 " + tokenFile);
        assertThat(result("token_accepted").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.failures()).isEqualTo(1);
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void aMissingOrEmptyFileFails() throws Exception {
        checks(Optional.of(dir.resolve("absent")), Map.of()).run(report);
        assertThat(result("token").message()).contains("does not exist");

        report = new DoctorReport();
        Files.writeString(tokenFile, "\n");
        checks(Optional.of(tokenFile), Map.of()).run(report);
        assertThat(result("token").failed()).isTrue();
        assertThat(result("token").message()).contains("empty");
    }

    @Test
    void aRejectedTokenFailsOnce() {
        api.on("GET /v2/account", 401, error("unauthorized", "Unable to authenticate you."));

        assertThat(checks(Optional.of(tokenFile), Map.of()).run(report)).isEmpty();

        assertThat(result("token").status()).isEqualTo(CheckStatus.OK);
        assertThat(result("token_accepted").failed()).isTrue();
        assertThat(result("token_accepted").message()).contains("401");
        assertThat(result("token_accepted").fix()).hasValueSatisfying(f -> assertThat(f).contains(tokenFile.toString()));
    }

    @Test
    void aTokenWithoutAccountScopeIsStillAccepted() {
        api.on("GET /v2/account", 403, error("forbidden", "You are not authorized to perform this operation"));

        assertThat(checks(Optional.of(tokenFile), Map.of()).run(report)).isPresent();
        assertThat(result("token_accepted").status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void aLockedAccountFails() {
        api.on("GET /v2/account", 200, ACCOUNT.replace("\"active\"", "\"locked\""));

        checks(Optional.of(tokenFile), Map.of()).run(report);

        assertThat(result("token_accepted").failed()).isTrue();
        assertThat(result("token_accepted").message()).contains("locked");
    }

    @Test
    void theEnvironmentVariableIsTheFallback() {
        api.on("GET /v2/account", 200, ACCOUNT);

        checks(Optional.empty(), Map.of("DIGITALOCEAN_ACCESS_TOKEN", SECRET)).run(report);
        assertThat(result("token").status()).isEqualTo(CheckStatus.OK);
        assertThat(result("token").message()).contains("DIGITALOCEAN_ACCESS_TOKEN");

        report = new DoctorReport();
        checks(Optional.empty(), Map.of()).run(report);
        assertThat(result("token").failed()).isTrue();
    }
}
