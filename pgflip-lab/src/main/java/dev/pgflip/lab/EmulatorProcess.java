package dev.pgflip.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pgflip.lab.process.Pids;
import dev.pgflip.lab.tls.LabCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DigitalOcean API emulator as its own process in the root namespace (it must outlive {@code lab up} and needs
 * root to move the floating IP between namespaces). It listens on the bridge address only.
 */
public final class EmulatorProcess {
    /** How long an assign action stays in progress; the real API takes seconds, the lab keeps drills short. */
    public static final Duration DEFAULT_ACTION_DELAY = Duration.ofMillis(250);

    private final Lab lab;

    public EmulatorProcess(Lab lab) {
        this.lab = lab;
    }

    /** Starts the emulator with the TLS identity {@code lab up} made for it. */
    public long start(Path jar, LabCertificates.ServerIdentity tls) {
        writeSettings(DEFAULT_ACTION_DELAY, tls);
        // nodelay: the JDK server writes headers and body separately, and Nagle + delayed ACK then added ~40 ms to
        // every API call (measured), which an agent polling an action pays several times per failover.
        // nice -10: the emulator stands in for DigitalOcean's API and network fabric, which do not share the lab's two
        // cores with the databases and the drill's clients. At nice 0 the `ip` runs that move the address took
        // 150-700 ms under a drill's load (traced), time the real fabric does not spend on our CPUs.
        List<String> argv = List.of("nice", "-n", "-10", javaBinary(), "-XX:+UseSerialGC", "-Xmx256m", "-Dsun.net.httpserver.nodelay=true",
                "-cp", jar.toString(),
                "dev.pgflip.lab.cli.PgflipMain", "lab", "emulator", "--dir", lab.layout().root().toString());
        return lab.commands().startDaemon(argv, lab.layout().emulatorLog());
    }

    public void awaitReady(long pid, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        EmulatorApi api = lab.emulatorApi();
        while (!api.answers()) {
            if (!Pids.alive(pid)) {
                throw new LabException("the emulator exited during start-up: see " + lab.layout().emulatorLog());
            }
            deadline.check("the emulator to answer on " + lab.topology().apiUrl());
            LabUp.sleep(100);
        }
    }

    private void writeSettings(Duration actionDelay, LabCertificates.ServerIdentity tls) {
        LabTopology topology = lab.topology();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bind_host", topology.bridgeAddress());
        settings.put("port", topology.apiPort());
        settings.put("metadata_port", topology.metadataPort());
        settings.put("token_file", lab.layout().tokenFile().toString());
        settings.put("read_only_token_files", List.of(lab.layout().readOnlyTokenFile().toString()));
        settings.put("tls_keystore", tls.keyStore().toString());
        settings.put("tls_password_file", tls.keyStorePassword().toString());
        settings.put("region", topology.region());
        settings.put("action_delay_ms", actionDelay.toMillis());
        settings.put("droplets", topology.nodes().stream().map(n -> Map.of(
                "id", n.dropletId(), "name", n.name(), "public_ipv4", n.address(), "private_ipv4", n.address())).toList());
        try {
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(settings);
            LabFiles.write(lab.layout().emulatorConfig(), json, "rw-r--r--", false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
