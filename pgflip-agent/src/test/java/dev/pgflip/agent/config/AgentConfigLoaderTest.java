package dev.pgflip.agent.config;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.common.DurationText;
import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.IpResource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigLoaderTest {
    static final String FULL = String.join("\n",
            "node:",
            "  name: n2",
            "  droplet_id: 1002",
            "  database:",
            "    host: 198.18.0.12",
            "    port: 5432",
            "    dbname: repmgr",
            "    user: repmgr",
            "flip:",
            "  ip: 198.18.0.100",
            "  provider: digitalocean",
            "promote:",
            "  command: [/usr/lib/postgresql/15/bin/repmgr, standby, promote, -f, /x/repmgr.conf, --log-to-file]",
            "  deadline: 20s",
            "digitalocean:",
            "  api_url: https://198.18.0.1:9443/",
            "  token_file: /etc/pgflip/do-token",
            "  metadata_url: http://198.18.0.1:9001/metadata/v1",
            "  resource: reserved_ips",
            "  poll_interval: 250ms",
            "  request_timeout: 5s",
            "local:",
            "  interface: eth0",
            "  netns: null",
            "  previous_holders:",
            "    - {netns: n1, interface: vn-n1}",
            "    - {interface: eth1}",
            "exec:",
            "  command: [/usr/local/bin/move-ip]",
            "events:",
            "  log_file: /var/log/pgflip/events.jsonl",
            "");

    static AgentConfig parse(String yaml, ConfigPurpose purpose) {
        return AgentConfigLoader.parse(yaml, "test.yaml", purpose);
    }

    static String problems(String yaml, ConfigPurpose purpose) {
        try {
            parse(yaml, purpose);
        } catch (ConfigException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void theLabsFileParsesIntoTheRecordTree() {
        AgentConfig c = parse(FULL, ConfigPurpose.PROMOTE);

        assertThat(c.requireNode().name()).isEqualTo("n2");
        assertThat(c.requireNode().dropletId()).hasValue(1002);
        assertThat(c.requireDatabase()).isEqualTo(new DatabaseConfig("198.18.0.12", 5432, "repmgr", "repmgr", java.util.Optional.empty()));
        assertThat(c.requireFlip()).isEqualTo(new FlipConfig("198.18.0.100", ProviderKind.DIGITALOCEAN));
        assertThat(c.requirePromote().command()).startsWith("/usr/lib/postgresql/15/bin/repmgr", "standby", "promote").hasSize(6);
        assertThat(c.requirePromote().deadline()).isEqualTo(Duration.ofSeconds(20));
        DigitalOceanConfig d = c.requireDigitalOcean();
        assertThat(d.apiUrl()).isEqualTo(URI.create("https://198.18.0.1:9443"));
        assertThat(d.trust()).isEqualTo(dev.pgflip.agent.digitalocean.ApiTrust.jdkDefault());
        assertThat(d.tokenFile()).contains(Path.of("/etc/pgflip/do-token"));
        assertThat(d.resource()).isEqualTo(IpResource.RESERVED_IPS);
        assertThat(d.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.requireLocal().netns()).isEmpty();
        assertThat(c.requireLocal().previousHolders()).hasSize(2);
        assertThat(c.requireLocal().previousHolders().get(0).netns()).contains("n1");
        assertThat(c.requireExec().command()).containsExactly("/usr/local/bin/move-ip");
        assertThat(c.requireEvents().logFile()).isEqualTo(Path.of("/var/log/pgflip/events.jsonl"));
    }

    @Test
    void defaultsApplyWhenOptionalKeysAreAbsent() {
        AgentConfig c = parse("node: {name: n1}\nflip: {ip: 10.0.0.1, provider: digitalocean}\ndigitalocean: {}\n", ConfigPurpose.FLIP_ONLY);
        DigitalOceanConfig d = c.requireDigitalOcean();
        assertThat(d.apiUrl()).isEqualTo(URI.create("https://api.digitalocean.com"));
        assertThat(d.metadataUrl()).isEqualTo(URI.create("http://169.254.169.254/metadata/v1"));
        assertThat(d.resource()).as("the current name, floating_ips being deprecated").isEqualTo(IpResource.RESERVED_IPS);
        assertThat(d.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.tokenFile()).isEmpty();
        assertThat(d.trust().caFile()).isEmpty();
        assertThat(c.requireNode().dropletId()).isEmpty();
    }

    @Test
    void badIpNamesKeyAndValue() {
        assertThat(problems(FULL.replace("ip: 198.18.0.100", "ip: 1.2.3"), ConfigPurpose.PROMOTE))
                .contains("flip.ip: \"1.2.3\" is not an IPv4 address");
    }

    @Test
    void unknownKeysAreErrorsWithTheirFullPath() {
        assertThat(problems(FULL.replace("    port: 5432", "    prot: 5432"), ConfigPurpose.PROMOTE))
                .contains("node.database.prot: unknown key");
        assertThat(problems(FULL + "extra: 1\n", ConfigPurpose.PROMOTE)).contains("extra: unknown key");
        assertThat(problems(FULL.replace("    - {interface: eth1}", "    - {interface: eth1, ns: x}"), ConfigPurpose.PROMOTE))
                .contains("local.previous_holders[1].ns: unknown key");
    }

    @Test
    void badDurationSaysWhatIsExpected() {
        assertThat(problems(FULL.replace("deadline: 20s", "deadline: 20 seconds"), ConfigPurpose.PROMOTE))
                .contains("promote.deadline = '20 seconds': not a duration; expected " + DurationText.FORMS);
        assertThat(problems(FULL.replace("deadline: 20s", "deadline: -20s"), ConfigPurpose.PROMOTE))
                .contains("promote.deadline = '-20s': negative; expected " + DurationText.FORMS);
        assertThat(problems(FULL.replace("poll_interval: 250ms", "poll_interval: 0ms"), ConfigPurpose.PROMOTE))
                .contains("digitalocean.poll_interval: \"0ms\" must be longer than 0");
    }

    /** The YAML reads durations with pgflip-common's grammar (its table): ISO-8601, other units, plain milliseconds. */
    @Test
    void durationsAreReadInTheSharedGrammar() {
        AgentConfig c = parse(FULL.replace("deadline: 20s", "deadline: PT1M30S")
                .replace("poll_interval: 250ms", "poll_interval: 250")
                .replace("request_timeout: 5s", "request_timeout: 1h"), ConfigPurpose.PROMOTE);
        assertThat(c.promote().orElseThrow().deadline()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.digitalocean().orElseThrow().pollInterval()).as("a YAML number: milliseconds")
                .isEqualTo(Duration.ofMillis(250));
        assertThat(c.digitalocean().orElseThrow().requestTimeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shellStringCommandIsRefused() {
        assertThat(problems(FULL.replace("command: [/usr/local/bin/move-ip]", "command: /usr/local/bin/move-ip --fast"), ConfigPurpose.PROMOTE))
                .contains("exec.command: \"/usr/local/bin/move-ip --fast\" is not a list");
        assertThat(problems(FULL.replace("command: [/usr/local/bin/move-ip]", "command: []"), ConfigPurpose.PROMOTE))
                .contains("exec.command: [] is empty");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String bad = FULL.replace("provider: digitalocean", "provider: aws")
                .replace("port: 5432", "port: 70000")
                .replace("resource: reserved_ips", "resource: elastic_ips")
                .replace("api_url: https://198.18.0.1:9443/", "api_url: ftp://x")
                .replace("droplet_id: 1002", "droplet_id: -3");
        assertThat(problems(bad, ConfigPurpose.PROMOTE))
                .contains("flip.provider: \"aws\" is not one of digitalocean, local, exec")
                .contains("node.database.port: 70000 is not a TCP port")
                .contains("digitalocean.resource: \"elastic_ips\" is not one of floating_ips, reserved_ips")
                .contains("digitalocean.api_url: \"ftp://x\" is not an https URL")
                .contains("node.droplet_id: -3 is not a positive whole number");
    }

    @Test
    void theApiIsSpokenToOverHttpsOnly() {
        assertThat(problems(FULL.replace("api_url: https://198.18.0.1:9443/", "api_url: http://198.18.0.1:9080"),
                ConfigPurpose.PROMOTE))
                .contains("digitalocean.api_url: \"http://198.18.0.1:9080\" is not an https URL like"
                        + " https://api.digitalocean.com (the token must not travel in clear)");
    }

    @Test
    void caFileIsReadAtLoadAndAProblemNamesTheKeyAndTheFile() {
        Path ca = dev.pgflip.agent.testing.ScriptedApi.caFile();
        AgentConfig c = parse(FULL.replace("  token_file:", "  ca_file: " + ca + "\n  token_file:"), ConfigPurpose.PROMOTE);
        assertThat(c.requireDigitalOcean().trust().caFile()).contains(ca);

        assertThat(problems(FULL.replace("  token_file:", "  ca_file: /nonexistent/ca.pem\n  token_file:"),
                ConfigPurpose.PROMOTE))
                .contains("digitalocean.ca_file: \"/nonexistent/ca.pem\" cannot be read (NoSuchFileException)");
        assertThat(problems(FULL.replace("  token_file:", "  ca_file: " + ca.getParent().resolve("store.pass")
                + "\n  token_file:"), ConfigPurpose.PROMOTE))
                .contains("digitalocean.ca_file: ").contains("is not a PEM file of CA certificates");
    }

    @Test
    void missingKeysAreNamed() {
        assertThat(problems("node: {droplet_id: 3}\nflip: {ip: 10.0.0.1}\n", ConfigPurpose.FLIP_ONLY))
                .contains("node.name: missing")
                .contains("flip.provider: missing, expected one of digitalocean, local, exec");
    }

    @Test
    void onlyTheChosenProvidersSectionIsRequired() {
        String local = "node: {name: n2}\nflip: {ip: 10.0.0.1, provider: local}\nlocal: {interface: eth0}\n";
        assertThat(parse(local, ConfigPurpose.FLIP_ONLY).local()).isPresent();

        assertThat(problems("node: {name: n2}\nflip: {ip: 10.0.0.1, provider: exec}\n", ConfigPurpose.FLIP_ONLY))
                .contains("exec: missing section, required because flip.provider is exec");
    }

    @Test
    void promoteNeedsTheDatabaseAndThePromoteSection() {
        String flipOnly = "node: {name: n2}\nflip: {ip: 10.0.0.1, provider: local}\nlocal: {interface: eth0}\n";
        assertThat(problems(flipOnly, ConfigPurpose.PROMOTE))
                .contains("node.database: missing section")
                .contains("promote: missing section");
    }

    @Test
    void eventsOnlyNeedTheEventsSection() {
        assertThat(parse("events: {log_file: /tmp/e.jsonl}\n", ConfigPurpose.EVENT).events()).isPresent();
        assertThat(problems("node: {name: n2}\n", ConfigPurpose.EVENT)).contains("events: missing section");
    }

    @Test
    void passwordFileMustExist() {
        assertThat(problems(FULL.replace("    user: repmgr", "    user: repmgr\n    password_file: /nonexistent/pw"), ConfigPurpose.PROMOTE))
                .contains("node.database.password_file: \"/nonexistent/pw\" is not an existing file");
    }

    @Test
    void duplicateKeysAndBrokenYamlAreRefused() {
        assertThat(problems("node: {name: a}\nnode: {name: b}\n", ConfigPurpose.EVENT)).contains("not valid YAML");
        assertThat(problems("- just\n- a list\n", ConfigPurpose.EVENT)).contains("top level");
    }

    @Test
    void missingFileIsAUsageError() {
        assertThatThrownBy(() -> AgentConfigLoader.load(Path.of("/nonexistent/agent.yaml"), ConfigPurpose.EVENT))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/agent.yaml");
    }

    @Test
    void thePackagesFileNamesEachPlaceholderLeftAndLoadsOnceTheyAreFilledIn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String packaged = java.nio.file.Files.readString(Path.of("src", "deb", "etc", "pgflip", "agent.yaml"));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> parse(packaged, ConfigPurpose.DOCTOR));
        assertThat(e.problems()).extracting(p -> p.substring(0, p.indexOf(':'))).containsExactly(
                "node.name", "node.database.host", "flip.ip", "replication.synchronous_standby_names");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p).contains("still the package's placeholder CHANGE-ME"));

        Path repmgrConf = java.nio.file.Files.writeString(dir.resolve("repmgr.conf"),
                "node_name='n2'\nconninfo='host=198.18.0.12 connect_timeout=2'\nreconnect_attempts=1\nreconnect_interval=1\n");
        String filledIn = packaged.replace("name: CHANGE-ME", "name: n2").replace("host: CHANGE-ME", "host: 198.18.0.12")
                .replace("ip: CHANGE-ME", "ip: 198.18.0.100").replace("(CHANGE-ME, CHANGE-ME)", "(n1, n2)")
                .replace("/etc/repmgr.conf", repmgrConf.toString());
        AgentConfig config = parse(filledIn, ConfigPurpose.DOCTOR);
        assertThat(config.node().orElseThrow().name()).isEqualTo("n2");
        assertThat(config.digitalocean().orElseThrow().resource()).isEqualTo(dev.pgflip.agent.digitalocean.IpResource.RESERVED_IPS);
    }
}
