package dev.pgflip.lab.agent;

import static dev.pgflip.lab.agent.EmulatedCloud.FAR_DROPLET;
import static dev.pgflip.lab.agent.EmulatedCloud.OTHER_DROPLET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to {@code pgflip promote --skip-promote} (the hook's flip path) against the emulator over real HTTPS, one
 * row per mistake an operator makes. Each must end in exactly one stderr line that names the problem and the fix,
 * with the documented exit code (2 configuration, token or certificate; 3 the API refused the move; 4 token
 * rejected), and change nothing: the floating IP stays on its droplet and the emulator records no new action.
 */
class BadInputTableTest extends AgainstTheEmulator {

    /** Writes the bad configuration (and whatever it points at) and returns the {@code --config} argument. */
    @FunctionalInterface
    interface BadConfig {
        String write(EmulatedCloud cloud, Path dir) throws Exception;
    }

    /** @param messageParts what the one line must contain; {@code {dir}} stands for the test's directory */
    record Row(String problem, BadConfig config, int exitCode, List<String> messageParts) {
        @Override
        public String toString() {
            return problem;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("YAML syntax error", (cloud, dir) -> edit(cloud.config().write(),
                        "flip: {ip: 198.18.0.100, provider: digitalocean}", "flip: {ip: 198.18.0.100, provider: digitalocean"),
                        2, List.of("is not valid YAML at line 3, column", "fix the YAML there")),
                new Row("unknown key", (cloud, dir) -> edit(cloud.config().write(), "  poll_interval:", "  poll_intervall:"),
                        2, List.of("digitalocean.poll_intervall: unknown key (expected one of", "poll_interval")),
                new Row("wrong type", (cloud, dir) -> edit(cloud.config().write(), "node: {name: n2",
                        "node: {name: n2, droplet_id: two"),
                        2, List.of("node.droplet_id: \"two\" is not a positive whole number")),
                new Row("unknown node: its droplet is not in the account", (cloud, dir) -> cloud.config().dropletId(4242).write(),
                        3, List.of("droplet 4242 does not exist in this account (404): check node.droplet_id")),
                new Row("wrong token (401)", (cloud, dir) -> cloud.config().tokenFile(privateFile(dir, "wrong-token",
                        "dop_v1_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(24)))).write(),
                        4, List.of("DigitalOcean rejected the token (401 unauthorized): replace the token in"
                                + " digitalocean.token_file {dir}/wrong-token")),
                new Row("missing token file", (cloud, dir) -> cloud.config().tokenFile(dir.resolve("no-such-token")).write(),
                        2, List.of("digitalocean.token_file {dir}/no-such-token does not exist",
                                "put the API token in it (chmod 600")),
                new Row("token file world-readable", (cloud, dir) -> {
                    Files.setPosixFilePermissions(cloud.tokenFile(), PosixFilePermissions.fromString("rw-r--r--"));
                    return cloud.config().write();
                }, 2, List.of("refusing digitalocean.token_file {dir}/do-token: its mode 0644",
                        "run: chmod 600 {dir}/do-token")),
                new Row("floating IP not in the account (404)", (cloud, dir) -> cloud.config().flipIp("198.18.0.123").write(),
                        3, List.of("floating IP 198.18.0.123 not found (404): check flip.ip and digitalocean.resource")),
                new Row("droplet in another region (422)", (cloud, dir) -> cloud.config().dropletId(FAR_DROPLET).write(),
                        3, List.of("droplet " + FAR_DROPLET + " is in region lab2 but the floating IP 198.18.0.100 is in lab1",
                                "use an IP of the droplet's region")),
                new Row("API over plain HTTP", (cloud, dir) -> cloud.config()
                        .apiUrl("http://127.0.0.1:" + cloud.baseUrl().getPort()).write(),
                        2, List.of("digitalocean.api_url: \"http://127.0.0.1:", "is not an https URL",
                                "the token must not travel in clear")),
                new Row("no ca_file: the JDK's trust store does not know the lab's CA", (cloud, dir) -> cloud.config()
                        .caFile(null).write(),
                        2, List.of("presented a certificate not signed by a CA trusted here (the JDK's default trust"
                                + " store): set digitalocean.ca_file")),
                new Row("ca_file is not a certificate", (cloud, dir) -> cloud.config()
                        .caFile(cloud.tokenFile().toString()).write(),
                        2, List.of("digitalocean.ca_file: \"{dir}/do-token\" is not a PEM file of CA"
                                + " certificates")),
                new Row("api_url names a host the certificate was not issued for", (cloud, dir) -> cloud.config()
                        .apiUrl("https://localhost:" + cloud.baseUrl().getPort()).write(),
                        2, List.of("presented a certificate that does not match the address in digitalocean.api_url",
                                "localhost", "use the host name or address the certificate was issued for")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputEndsInOneLineNamingProblemAndFixWithItsExitCodeAndChangesNothing(Row row) throws Exception {
        int actionsBefore = cloud.actions().size();
        String config = row.config().write(cloud, dir);

        AgentRun run = cloud.pgflip("promote", "--skip-promote", "--config", config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(row.exitCode());
        assertThat(run.errLine()).startsWith("pgflip promote: ")
                .contains(row.messageParts().stream().map(p -> p.replace("{dir}", dir.toString())).toList());
        assertThat(cloud.holder()).as("the floating IP's droplet").hasValue(OTHER_DROPLET);
        assertThat(cloud.actions()).as("actions in the emulator").hasSize(actionsBefore);
    }

    private static String edit(String configFile, String from, String to) throws Exception {
        Path file = Path.of(configFile);
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
        return configFile;
    }

    private static Path privateFile(Path dir, String name, String content) throws Exception {
        Path file = Files.createFile(dir.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content + "\n");
        return file;
    }
}
