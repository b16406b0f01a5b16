package dev.pgflip.lab.install;

import dev.pgflip.lab.LabFiles;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Each node's droplet-like {@code /etc}: {@code /etc/repmgr.conf} and {@code /etc/pgflip/agent.yaml}, written to
 * {@code /etc/netns/NODE/}. {@code ip netns exec} bind-mounts each entry there over the same name in {@code /etc}, and
 * only over one that exists: {@code /etc/pgflip} comes with the package, and an empty {@code /etc/repmgr.conf} is made
 * on the host when it has none. Every path is handed to {@code record} before it is made, so {@code lab down} removes
 * it even after a crash.
 */
public final class NodeEtc {
    private static final Path HOST_DEFAULTS = Path.of("/etc/default");
    private final LabLayout layout;
    private final Consumer<Path> record;

    public NodeEtc(LabLayout layout, Consumer<Path> record) {
        this.layout = layout;
        this.record = record;
    }

    /** The host's own {@code /etc} entries the bind mounts need, made empty when missing. */
    public void prepareHost() {
        Path hostRepmgrConf = LabLayout.NODE_REPMGR_CONF;
        if (!Files.exists(hostRepmgrConf)) {
            record.accept(hostRepmgrConf);
            LabFiles.write(hostRepmgrConf, "", "rw-r--r--", false);
        }
    }

    /**
     * The node's {@code /etc/default}: {@code ip netns exec} mounts a directory whole, so it is the host's files with
     * the node's own {@code repmgrd} (Debian's init script settings, section 9 of the guide) in place of the host's.
     */
    public void writeDefaults(LabNode node, String repmgrdDefaults) {
        Path dir = layout.nodeEtc(node).resolve("default");
        record(dir);
        LabFiles.directory(dir, "rwxr-xr-x", false);
        try (var hostFiles = Files.list(HOST_DEFAULTS)) {
            for (Path file : hostFiles.filter(Files::isRegularFile).toList()) {
                Path copy = dir.resolve(file.getFileName().toString());
                record(copy);
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + HOST_DEFAULTS + " for " + node.name(), e);
        }
        Path repmgrd = dir.resolve("repmgrd");
        record(repmgrd);
        LabFiles.write(repmgrd, repmgrdDefaults, "rw-r--r--", false);
    }

    private void record(Path path) {
        if (!Files.exists(path)) {
            record.accept(path);
        }
    }

    /** repmgr.conf as Debian keeps it (root, world-readable); agent.yaml as the package installs it (0640 root:postgres). */
    public void write(LabNode node, String repmgrConf, String agentYaml) {
        Path etc = layout.nodeEtc(node);
        for (Path path : List.of(layout.netnsEtc(), etc, layout.repmgrConf(node), layout.agentConf(node).getParent(),
                layout.agentConf(node))) {
            record(path);
        }
        LabFiles.directory(etc, "rwxr-xr-x", false);
        LabFiles.write(layout.repmgrConf(node), repmgrConf, "rw-r--r--", false);
        LabFiles.directory(layout.agentConf(node).getParent(), "rwxr-xr-x", false);
        LabFiles.write(layout.agentConf(node), agentYaml, "rw-r-----", false);
        try {
            Files.setAttribute(layout.agentConf(node), "posix:group",
                    layout.agentConf(node).getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("postgres"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + layout.agentConf(node) + " to group postgres", e);
        }
    }

    /**
     * Removes what {@link #prepareHost} and {@link #write} recorded, files before the directories that hold them; a
     * directory something else has put files in stays. Returns what it removed.
     */
    public static List<Path> remove(List<String> recorded) {
        List<Path> removed = new ArrayList<>();
        List<Path> paths = new ArrayList<>(recorded.stream().map(Path::of).toList());
        paths.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
        for (Path path : paths) {
            try {
                if (Files.deleteIfExists(path)) {
                    removed.add(path);
                }
            } catch (DirectoryNotEmptyException e) {
                // someone else's files: the directory is theirs now too
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + path, e);
            }
        }
        return removed;
    }
}
