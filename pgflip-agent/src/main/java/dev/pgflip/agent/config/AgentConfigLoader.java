package dev.pgflip.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgflip.agent.config.LocalConfig.AddressHolder;
import dev.pgflip.agent.digitalocean.ApiTrust;
import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.IpResource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the agent's YAML file into an {@link AgentConfig}, validating everything once. All problems are
 * reported together; unknown keys are errors (a typo must not silently fall back to a default).
 */
public final class AgentConfigLoader {
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private AgentConfigLoader() {}

    public static AgentConfig load(Path file, ConfigPurpose purpose) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage()
                    + " (give an existing YAML file with --config)", e);
        }
        return parse(text, file.toString(), purpose);
    }

    /** Parses YAML text; {@code source} names it in messages. */
    public static AgentConfig parse(String yaml, String source, ConfigPurpose purpose) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("config file " + source + " is not valid YAML" + yamlProblem(e)
                    + "; fix the YAML there (key: value, nested by indenting with spaces)", e);
        } catch (IOException e) {
            throw new ConfigException("config file " + source + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, List.of("top level: expected a mapping with node, flip, ... sections"));
        }
        List<String> problems = new ArrayList<>();
        placeholders(root, "", problems);
        if (!problems.isEmpty()) {
            // The package's file as installed: its other complaints about these keys would only repeat this one.
            throw new ConfigException(source, problems);
        }
        AgentConfig config = read(new YamlSection(root, "", problems), purpose, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return config;
    }

    /** The package's {@code agent.yaml} marks what each node must fill in with {@value #PLACEHOLDER}. */
    static final String PLACEHOLDER = "CHANGE-ME";

    private static void placeholders(JsonNode node, String path, List<String> problems) {
        if (node.isTextual() && node.asText().contains(PLACEHOLDER)) {
            problems.add(path + ": still the package's placeholder " + PLACEHOLDER + " (\"" + node.asText()
                    + "\"): fill in this node's value");
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> placeholders(f.getValue(), path.isEmpty() ? f.getKey()
                    : path + "." + f.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                placeholders(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    /**
     * Where and what, from the YAML parser: snakeyaml's own exception says both ("at line 2, column 5: expected ','
     * or '}', but got :"); Jackson's message repeats them over several lines with the source quoted.
     */
    private static String yamlProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException) {
            MarkedYAMLException yaml = (MarkedYAMLException) e.getCause();
            Mark at = yaml.getProblemMark();
            String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
            return (at == null ? "" : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1)) + ": "
                    + yaml.getProblem() + context;
        }
        var at = e.getLocation();
        return (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                + ": " + e.getOriginalMessage().lines().findFirst().orElse("").strip();
    }

    private static AgentConfig read(YamlSection root, ConfigPurpose purpose, List<String> problems) {
        Optional<NodeConfig> node = root.section("node").flatMap(AgentConfigLoader::node);
        Optional<FlipConfig> flip = root.section("flip").flatMap(AgentConfigLoader::flip);
        Optional<PromoteConfig> promote = root.section("promote").flatMap(AgentConfigLoader::promote);
        Optional<DigitalOceanConfig> digitalocean = root.section("digitalocean").flatMap(AgentConfigLoader::digitalOcean);
        Optional<LocalConfig> local = root.section("local").flatMap(AgentConfigLoader::local);
        Optional<ExecConfig> exec = root.section("exec").flatMap(AgentConfigLoader::exec);
        Optional<EventsConfig> events = root.section("events").flatMap(AgentConfigLoader::events);
        Optional<ReplicationConfig> replication = root.section("replication").flatMap(AgentConfigLoader::replication);
        Optional<RejoinConfig> rejoin = root.section("rejoin").flatMap(AgentConfigLoader::rejoin);
        Optional<FencingConfig> fencing = root.section("fencing").flatMap(AgentConfigLoader::fencing);
        Optional<MetricsConfig> metrics = root.section("metrics").flatMap(AgentConfigLoader::metrics);
        root.rejectUnknownKeys();

        AgentConfig config = new AgentConfig(node, flip, promote, digitalocean, local, exec, events, replication, rejoin,
                fencing, metrics);
        if (problems.isEmpty()) {
            new SectionRequirements(root, problems).check(config, purpose);
        }
        return config;
    }

    private static Optional<NodeConfig> node(YamlSection s) {
        Optional<String> name = s.requiredString("name", "repmgr's node_name, e.g. n2");
        OptionalLong dropletId = s.optionalPositiveLong("droplet_id");
        Optional<DatabaseConfig> database = s.section("database").flatMap(AgentConfigLoader::database);
        s.rejectUnknownKeys();
        return name.map(n -> new NodeConfig(n, dropletId, database));
    }

    private static Optional<DatabaseConfig> database(YamlSection s) {
        Optional<String> host = s.requiredString("host", "the local node's address, e.g. 198.18.0.12");
        int port = s.optionalTcpPort("port").orElse(5432);
        Optional<String> dbname = s.requiredString("dbname", "a database name, e.g. repmgr");
        Optional<String> user = s.requiredString("user", "a user name, e.g. repmgr");
        Optional<Path> passwordFile = existingFile(s, "password_file");
        s.rejectUnknownKeys();
        if (host.isEmpty() || dbname.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseConfig(host.get(), port, dbname.get(), user.get(), passwordFile));
    }

    private static Optional<FlipConfig> flip(YamlSection s) {
        Optional<String> ip = s.requiredString("ip", "the floating IP, an IPv4 address like 198.18.0.100");
        if (ip.isPresent() && !Ipv4.isValid(ip.get())) {
            s.problem("ip", null, "\"" + ip.get() + "\" is not an IPv4 address");
            ip = Optional.empty();
        }
        Optional<ProviderKind> provider = s.has("provider")
                ? s.parsed("provider", AgentConfigLoader::providerKind, "is not one of digitalocean, local, exec")
                : missing(s, "provider", "one of digitalocean, local, exec");
        s.rejectUnknownKeys();
        if (ip.isEmpty() || provider.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FlipConfig(ip.get(), provider.get()));
    }

    private static Optional<PromoteConfig> promote(YamlSection s) {
        Optional<List<String>> command = nonEmptyCommand(s);
        Optional<java.time.Duration> deadline = s.duration("deadline", PromoteConfig.DEFAULT_DEADLINE);
        s.rejectUnknownKeys();
        if (command.isEmpty() || deadline.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PromoteConfig(command.get(), deadline.get()));
    }

    private static Optional<DigitalOceanConfig> digitalOcean(YamlSection s) {
        Optional<URI> apiUrl = s.has("api_url")
                ? s.parsed("api_url", AgentConfigLoader::parseHttpsUrl, "is not an https URL like"
                        + " https://api.digitalocean.com (the token must not travel in clear)")
                : Optional.of(DigitalOceanConfig.DEFAULT_API_URL);
        Optional<ApiTrust> trust = caFile(s);
        Optional<Path> tokenFile = s.optionalString("token_file").map(Path::of);
        Optional<URI> metadataUrl = httpUrl(s, "metadata_url", DigitalOceanConfig.DEFAULT_METADATA_URL);
        Optional<IpResource> resource = s.has("resource")
                ? s.parsed("resource", AgentConfigLoader::ipResource, "is not one of floating_ips, reserved_ips")
                : Optional.of(IpResource.RESERVED_IPS);
        Optional<java.time.Duration> poll = s.duration("poll_interval", DigitalOceanConfig.DEFAULT_POLL_INTERVAL);
        Optional<java.time.Duration> timeout = s.duration("request_timeout", DigitalOceanConfig.DEFAULT_REQUEST_TIMEOUT);
        s.rejectUnknownKeys();
        if (apiUrl.isEmpty() || trust.isEmpty() || metadataUrl.isEmpty() || resource.isEmpty() || poll.isEmpty()
                || timeout.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DigitalOceanConfig(
                apiUrl.get(), trust.get(), tokenFile, metadataUrl.get(), resource.get(), poll.get(), timeout.get()));
    }

    /** {@code ca_file}: the only CA the API's certificate may come from; absent, the JDK's default trust store. */
    private static Optional<ApiTrust> caFile(YamlSection s) {
        Optional<String> file = s.optionalString("ca_file");
        if (!s.has("ca_file")) {
            return Optional.of(ApiTrust.jdkDefault());
        }
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApiTrust.onlyCaFile(Path.of(file.get())));
        } catch (IllegalArgumentException e) {
            s.problem("ca_file", null, "\"" + file.get() + "\" " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<LocalConfig> local(YamlSection s) {
        Optional<String> iface = s.requiredString("interface", "a network interface name, e.g. eth0");
        Optional<String> netns = s.optionalString("netns");
        List<AddressHolder> holders = s.sectionList("previous_holders", h -> {
            Optional<String> holderNetns = h.optionalString("netns");
            Optional<String> holderIface = h.requiredString("interface", "a network interface name");
            return holderIface.map(i -> new AddressHolder(holderNetns, i));
        });
        s.rejectUnknownKeys();
        return iface.map(i -> new LocalConfig(i, netns, holders));
    }

    private static Optional<ExecConfig> exec(YamlSection s) {
        Optional<List<String>> command = nonEmptyCommand(s);
        s.rejectUnknownKeys();
        return command.map(ExecConfig::new);
    }

    private static Optional<EventsConfig> events(YamlSection s) {
        Optional<String> file = s.requiredString("log_file", "a file path, e.g. /var/log/pgflip/events.jsonl");
        s.rejectUnknownKeys();
        return file.map(f -> new EventsConfig(Path.of(f)));
    }

    private static Optional<ReplicationConfig> replication(YamlSection s) {
        Optional<String> names = s.requiredString("synchronous_standby_names",
                "PostgreSQL's synchronous_standby_names while a standby streams, e.g. 'ANY 1 (n1, n2)'");
        Optional<java.time.Duration> degradeAfter = s.duration("degrade_after", ReplicationConfig.DEFAULT_DEGRADE_AFTER);
        s.rejectUnknownKeys();
        if (names.isEmpty() || degradeAfter.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ReplicationConfig(names.get(), degradeAfter.get()));
    }

    private static Optional<RejoinConfig> rejoin(YamlSection s) {
        Optional<Path> conf = existingFile(s, "repmgr_conf");
        if (!s.has("repmgr_conf")) {
            s.missing("repmgr_conf", "this node's repmgr.conf, e.g. /etc/repmgr.conf");
        }
        Optional<String> archive = s.requiredString("config_archive_dir",
                "a directory pg_rewind may move config files to, e.g. /var/lib/postgresql/repmgr-archive");
        String repmgr = s.optionalString("repmgr").orElse(RejoinConfig.DEFAULT_REPMGR);
        s.rejectUnknownKeys();
        if (conf.isEmpty() || archive.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RejoinConfig(conf.get(), Path.of(archive.get()), repmgr));
    }

    private static Optional<FencingConfig> fencing(YamlSection s) {
        Optional<Path> conf = existingFile(s, "repmgr_conf");
        if (!s.has("repmgr_conf")) {
            s.missing("repmgr_conf", "this node's repmgr.conf (the isolation bound is derived from its reconnect settings)");
        }
        Optional<String> stateFile = s.requiredString("state_file",
                "a file the agent may write, where it records why it fenced its node, e.g. /var/lib/pgflip/fence");
        Optional<java.time.Duration> probe = s.duration("probe_interval", FencingConfig.DEFAULT_PROBE_INTERVAL);
        Optional<String> timeoutText = s.optionalString("isolation_timeout");
        java.util.OptionalInt probePort = s.optionalTcpPort("probe_port");
        boolean probePortValid = !s.has("probe_port") || probePort.isPresent();
        s.rejectUnknownKeys();
        if (conf.isEmpty() || probe.isEmpty() || stateFile.isEmpty() || !probePortValid) {
            return Optional.empty();
        }
        dev.pgflip.agent.fence.IsolationBound bound;
        try {
            bound = dev.pgflip.agent.fence.IsolationBound.derive(
                    dev.pgflip.agent.repmgr.RepmgrConf.read(conf.get()), probe.get());
        } catch (IllegalArgumentException | java.io.IOException e) {
            s.problem("repmgr_conf", null, e.getMessage());
            return Optional.empty();
        }
        java.time.Duration minimum = probe.get().multipliedBy(2);
        if (bound.bound().compareTo(minimum) < 0) {
            s.problem("repmgr_conf", null, "lets a standby promote " + bound.earliestPromotion().toMillis()
                    + "ms after a partition starts: too soon for the primary to fence itself first (it needs "
                    + (minimum.toMillis() + bound.earliestPromotion().toMillis() - bound.bound().toMillis())
                    + "ms); raise reconnect_attempts or connect_timeout there, or lower fencing.probe_interval");
            return Optional.empty();
        }
        java.time.Duration timeout = bound.bound();
        if (timeoutText.isPresent() && !timeoutText.get().equals("auto")) {
            Optional<java.time.Duration> given = s.duration("isolation_timeout", timeoutText.get(), ", or auto");
            if (given.isEmpty()) {
                return Optional.empty();
            }
            if (given.get().isZero()) {
                s.problem("isolation_timeout", null, "\"" + timeoutText.get() + "\" must be longer than 0, or auto");
                return Optional.empty();
            }
            if (given.get().compareTo(bound.bound()) > 0) {
                s.problem("isolation_timeout", null, given.get().toMillis() + "ms is too long: repmgr ("
                        + conf.get() + ") can promote a standby " + bound.earliestPromotion().toMillis()
                        + "ms after a partition, so this node must fence itself sooner: give at most "
                        + bound.bound().toMillis() + "ms, or 'auto'");
                return Optional.empty();
            }
            timeout = given.get();
        }
        return Optional.of(new FencingConfig(conf.get(), Path.of(stateFile.get()), probe.get(), timeout,
                bound.earliestPromotion(), probePort));
    }

    private static Optional<MetricsConfig> metrics(YamlSection s) {
        Optional<java.net.InetSocketAddress> listen = s.has("listen")
                ? s.parsed("listen", MetricsConfig::parseListen, "is not " + MetricsConfig.LISTEN_FORMS)
                : missing(s, "listen", MetricsConfig.LISTEN_FORMS + " (leave out the metrics section for no server)");
        s.rejectUnknownKeys();
        return listen.map(MetricsConfig::new);
    }

    private static Optional<List<String>> nonEmptyCommand(YamlSection s) {
        if (!s.has("command")) {
            s.missing("command", "an argv list, e.g. [/usr/bin/program, arg1]");
            return Optional.empty();
        }
        Optional<List<String>> command = s.stringList("command");
        if (command.isPresent() && command.get().isEmpty()) {
            s.problem("command", null, "[] is empty, expected an argv list with at least the program");
            return Optional.empty();
        }
        return command;
    }

    private static Optional<Path> existingFile(YamlSection s, String key) {
        Optional<String> text = s.optionalString(key);
        if (text.isPresent() && !Files.isRegularFile(Path.of(text.get()))) {
            s.problem(key, null, "\"" + text.get() + "\" is not an existing file");
            return Optional.empty();
        }
        return text.map(Path::of);
    }

    private static Optional<URI> httpUrl(YamlSection s, String key, URI defaultValue) {
        if (!s.has(key)) {
            return Optional.of(defaultValue);
        }
        return s.parsed(key, AgentConfigLoader::parseHttpUrl, "is not an http(s) URL like http://198.18.0.1:9000");
    }

    static Optional<URI> parseHttpsUrl(String text) {
        return parseHttpUrl(text).filter(uri -> "https".equals(uri.getScheme()));
    }

    static Optional<URI> parseHttpUrl(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return http && uri.getHost() != null && uri.getQuery() == null ? Optional.of(uri) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<ProviderKind> providerKind(String text) {
        return Arrays.stream(ProviderKind.values()).filter(p -> p.key().equals(text.toLowerCase(Locale.ROOT))).findFirst();
    }

    private static Optional<IpResource> ipResource(String text) {
        return Arrays.stream(IpResource.values()).filter(r -> r.collection().equals(text)).findFirst();
    }

    private static <T> Optional<T> missing(YamlSection s, String key, String expectation) {
        s.missing(key, expectation);
        return Optional.empty();
    }
}
