package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The emulator's settings as read from a JSON file, for starting it in its own process:
 * <pre>{@code
 * {"bind_host": "127.0.0.1", "port": 9443, "metadata_port": 9080, "token_file": "/run/pgflip/do-token",
 *  "read_only_token_files": ["/run/pgflip/do-token-read-only"],
 *  "tls_keystore": "tls/private/server.p12", "tls_password_file": "tls/private/server.pass",
 *  "region": "lab1", "action_delay_ms": 500, "ip_pool": "198.18.0.96/28",
 *  "droplets": [{"id": 1001, "name": "pg1", "public_ipv4": "10.77.0.11", "private_ipv4": "10.78.0.11"}]}
 * }</pre>
 * {@code token_file}, {@code tls_keystore} and {@code tls_password_file} are required; {@code port} is the API's
 * (HTTPS), {@code metadata_port} the metadata service's (plain HTTP), both on {@code bind_host}. The token of
 * {@code token_file} may read and write; each of the optional {@code read_only_token_files} holds a token that may only
 * read (its writes get 403, as a read-only DigitalOcean token's do). Tokens are read from their files (trimmed) at
 * load time and kept masked, the key store is loaded at load time too. Relative paths are resolved against the
 * settings file's directory.
 */
public record EmulatorSettings(String bindHost, int port, int metadataPort, BearerToken token,
                               List<BearerToken> readOnlyTokens, SSLContext tls, String region, Duration actionDelay, String ipPool, List<EmulatedDroplet> droplets) {

    private static final Set<String> KEYS = Set.of("bind_host", "port", "metadata_port", "token_file",
            "read_only_token_files", "tls_keystore", "tls_password_file", "region", "action_delay_ms", "ip_pool",
            "droplets");
    private static final Set<String> DROPLET_KEYS = Set.of("id", "name", "public_ipv4", "private_ipv4", "region");

    public EmulatorSettings {
        readOnlyTokens = List.copyOf(readOnlyTokens);
        droplets = List.copyOf(droplets);
    }

    /**
     * Reads and checks a settings file, reporting every problem at once.
     *
     * @throws IllegalArgumentException naming each bad key, its value and what is expected
     * @throws IOException              when the file cannot be read
     */
    public static EmulatorSettings load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        List<String> errors = new ArrayList<>();
        unknownKeys(root, KEYS, "", errors);
        String bindHost = text(root, "bind_host", "127.0.0.1", errors);
        int port = (int) number(root, "port", 0, 0, 65535, errors);
        int metadataPort = (int) number(root, "metadata_port", 0, 0, 65535, errors);
        String region = text(root, "region", "lab1", errors);
        Duration actionDelay = Duration.ofMillis(number(root, "action_delay_ms", 500, 0, 3_600_000, errors));
        String ipPool = text(root, "ip_pool", "198.18.0.96/28", errors);
        BearerToken token = token(root, file, errors);
        List<BearerToken> readOnlyTokens = readOnlyTokens(root, file, errors);
        SSLContext tls = tls(root, file, errors);
        List<EmulatedDroplet> droplets = droplets(root, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(file + ": invalid emulator settings:\n  - "
                    + String.join("\n  - ", errors));
        }
        return new EmulatorSettings(bindHost, port, metadataPort, token, readOnlyTokens, tls, region, actionDelay, ipPool,
                droplets);
    }

    /** A builder holding these settings; add a mover or faults-related options before {@code build()}. */
    public DigitalOceanEmulator.Builder toBuilder() {
        DigitalOceanEmulator.Builder builder = DigitalOceanEmulator.builder()
                .bind(new InetSocketAddress(bindHost, port)).metadataBind(new InetSocketAddress(bindHost, metadataPort))
                .tls(tls).region(region).actionDelay(actionDelay).ipPool(ipPool);
        builder.token(token);
        readOnlyTokens.forEach(builder::readOnlyToken);
        droplets.forEach(builder::droplet);
        return builder;
    }

    private static BearerToken token(JsonNode root, Path file, List<String> errors) {
        JsonNode value = root.get("token_file");
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            errors.add("token_file: required, the path of a file holding the API token");
            return null;
        }
        return readToken(file, value.asText(), "token_file", errors);
    }

    private static List<BearerToken> readOnlyTokens(JsonNode root, Path file, List<String> errors) {
        JsonNode list = root.get("read_only_token_files");
        List<BearerToken> tokens = new ArrayList<>();
        if (list == null || list.isNull()) {
            return tokens;
        }
        if (!list.isArray()) {
            errors.add("read_only_token_files: expected an array of paths of files each holding a read-only token,"
                    + " got " + list.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
            return tokens;
        }
        for (int i = 0; i < list.size(); i++) {
            String key = "read_only_token_files[" + i + "]";
            JsonNode path = list.get(i);
            if (!path.isTextual() || path.asText().isBlank()) {
                errors.add(key + ": expected the path of a file holding a read-only token");
                continue;
            }
            BearerToken token = readToken(file, path.asText(), key, errors);
            if (token != null) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    /** The token in {@code path} (relative to the settings file), or null with the problem added to errors. */
    private static BearerToken readToken(Path file, String path, String key, List<String> errors) {
        Path tokenFile = file.toAbsolutePath().getParent().resolve(path);
        try {
            return BearerToken.of(Files.readString(tokenFile, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            errors.add(key + ": cannot read " + tokenFile + " (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            errors.add(key + ": " + tokenFile + ": " + e.getMessage());
        }
        return null;
    }

    private static SSLContext tls(JsonNode root, Path file, List<String> errors) {
        String keyStore = text(root, "tls_keystore", null, errors);
        String password = text(root, "tls_password_file", null, errors);
        if (keyStore == null || password == null) {
            errors.add("tls_keystore, tls_password_file: required, the API's PKCS#12 key store and its password file"
                    + " (the API is served over HTTPS only)");
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            return ServerKeyStore.sslContext(dir.resolve(keyStore), dir.resolve(password));
        } catch (IllegalArgumentException e) {
            errors.add("tls_keystore: " + e.getMessage());
            return null;
        }
    }

    private static List<EmulatedDroplet> droplets(JsonNode root, List<String> errors) {
        JsonNode list = root.get("droplets");
        List<EmulatedDroplet> droplets = new ArrayList<>();
        if (list == null) {
            return droplets;
        }
        if (!list.isArray()) {
            errors.add("droplets: expected an array of {id, name, public_ipv4, private_ipv4}");
            return droplets;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String at = "droplets[" + i + "]";
            if (!d.isObject()) {
                errors.add(at + ": expected an object");
                continue;
            }
            int before = errors.size();
            unknownKeys(d, DROPLET_KEYS, at + ".", errors);
            long id = number(d, "id", -1, 1, Long.MAX_VALUE, errors, at + ".");
            String name = text(d, "name", null, errors, at + ".");
            String publicIp = text(d, "public_ipv4", null, errors, at + ".");
            String privateIp = text(d, "private_ipv4", null, errors, at + ".");
            String region = text(d, "region", null, errors, at + ".");
            if (errors.size() > before) {
                continue;
            }
            try {
                droplets.add(new EmulatedDroplet(id, name, publicIp, privateIp, region));
            } catch (IllegalArgumentException | NullPointerException e) {
                errors.add(at + ": " + e.getMessage());
            }
        }
        return droplets;
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String prefix, List<String> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(prefix + name + ": unknown key (expected one of " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private static String text(JsonNode node, String key, String fallback, List<String> errors) {
        return text(node, key, fallback, errors, "");
    }

    private static String text(JsonNode node, String key, String fallback, List<String> errors, String prefix) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            errors.add(prefix + key + ": expected a string, got " + value);
            return fallback;
        }
        return value.asText();
    }

    private static long number(JsonNode node, String key, long fallback, long min, long max, List<String> errors) {
        return number(node, key, fallback, min, max, errors, "");
    }

    private static long number(JsonNode node, String key, long fallback, long min, long max, List<String> errors,
                               String prefix) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (fallback < min) {
                errors.add(prefix + key + ": required, an integer " + min + ".." + max);
            }
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            errors.add(prefix + key + ": expected an integer " + min + ".." + max + ", got " + value);
            return fallback;
        }
        return value.asLong();
    }
}
