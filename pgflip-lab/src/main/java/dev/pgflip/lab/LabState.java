package dev.pgflip.lab;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the lab has created so far, written after every step of {@code lab up} so that {@code lab down} can undo a
 * crashed or half-finished run by the names and PIDs recorded here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabState(
        @JsonProperty("bridge") String bridge,
        @JsonProperty("namespaces") java.util.List<String> namespaces,
        @JsonProperty("host_veths") java.util.List<String> hostVeths,
        @JsonProperty("emulator_pid") Long emulatorPid,
        @JsonProperty("repmgrd_pids") Map<String, Long> repmgrdPids,
        @JsonProperty("watch_pids") Map<String, Long> watchPids,
        @JsonProperty("droplets") Map<String, Long> droplets,
        @JsonProperty("api_url") String apiUrl,
        @JsonProperty("flip_ip") String flipIp,
        @JsonProperty("agent_package") String agentPackage,
        @JsonProperty("host_files") java.util.List<String> hostFiles) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public LabState {
        namespaces = namespaces == null ? java.util.List.of() : java.util.List.copyOf(namespaces);
        hostVeths = hostVeths == null ? java.util.List.of() : java.util.List.copyOf(hostVeths);
        repmgrdPids = repmgrdPids == null ? Map.of() : Map.copyOf(repmgrdPids);
        watchPids = watchPids == null ? Map.of() : Map.copyOf(watchPids);
        droplets = droplets == null ? Map.of() : Map.copyOf(droplets);
        hostFiles = hostFiles == null ? java.util.List.of() : java.util.List.copyOf(hostFiles);
    }

    public static LabState empty() {
        return new LabState(null, null, null, null, null, null, null, null, null, null, null);
    }

    public static LabState load(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        try {
            return JSON.readValue(file.toFile(), LabState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lab state " + file + " (delete it and run 'lab down' again)", e);
        }
    }

    /** Writes atomically (temp file + rename) so a crash never leaves a torn state file. */
    public void save(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write lab state " + file, e);
        }
    }

    public LabState withBridge(String name) {
        return new LabState(name, namespaces, hostVeths, emulatorPid, repmgrdPids, watchPids, droplets, apiUrl, flipIp,
                agentPackage, hostFiles);
    }

    public LabState withNamespace(String netns, String hostVeth) {
        java.util.List<String> ns = new java.util.ArrayList<>(namespaces);
        java.util.List<String> veths = new java.util.ArrayList<>(hostVeths);
        if (!ns.contains(netns)) ns.add(netns);
        if (!veths.contains(hostVeth)) veths.add(hostVeth);
        return new LabState(bridge, ns, veths, emulatorPid, repmgrdPids, watchPids, droplets, apiUrl, flipIp,
                agentPackage, hostFiles);
    }

    public LabState withEmulator(long pid, String url) {
        return new LabState(bridge, namespaces, hostVeths, pid, repmgrdPids, watchPids, droplets, url, flipIp,
                agentPackage, hostFiles);
    }

    public LabState withRepmgrd(String node, long pid) {
        Map<String, Long> pids = new LinkedHashMap<>(repmgrdPids);
        pids.put(node, pid);
        return new LabState(bridge, namespaces, hostVeths, emulatorPid, pids, watchPids, droplets, apiUrl, flipIp,
                agentPackage, hostFiles);
    }

    public LabState withWatch(String node, long pid) {
        Map<String, Long> pids = new LinkedHashMap<>(watchPids);
        pids.put(node, pid);
        return new LabState(bridge, namespaces, hostVeths, emulatorPid, repmgrdPids, pids, droplets, apiUrl, flipIp,
                agentPackage, hostFiles);
    }

    public LabState withDroplets(Map<String, Long> ids) {
        return new LabState(bridge, namespaces, hostVeths, emulatorPid, repmgrdPids, watchPids, ids, apiUrl, flipIp,
                agentPackage, hostFiles);
    }

    /**
     * Recorded before {@code dpkg -i} runs, so that {@code lab down} purges a package whose install was cut short;
     * {@code null} when the lab installed none.
     */
    public LabState withAgentPackage(String file) {
        return new LabState(bridge, namespaces, hostVeths, emulatorPid, repmgrdPids, watchPids, droplets, apiUrl, flipIp,
                file, hostFiles);
    }

    /** A file or directory outside the lab's directory, recorded before it is made; {@code lab down} removes it. */
    public LabState withHostFile(java.nio.file.Path path) {
        java.util.List<String> files = new java.util.ArrayList<>(hostFiles);
        if (!files.contains(path.toString())) files.add(path.toString());
        return new LabState(bridge, namespaces, hostVeths, emulatorPid, repmgrdPids, watchPids, droplets, apiUrl, flipIp,
                agentPackage, files);
    }

    public LabState withFlip(String ip) {
        return new LabState(bridge, namespaces, hostVeths, emulatorPid, repmgrdPids, watchPids, droplets, apiUrl, ip,
                agentPackage, hostFiles);
    }
}
