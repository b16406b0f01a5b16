package dev.pgflip.lab;

import dev.pgflip.agent.packaging.DebianLayout;
import java.nio.file.Path;

/**
 * Where everything the lab makes lives: one directory, so that {@code lab down} can remove all of it, and each node's
 * own {@code /etc} files. Those sit in {@code /etc/netns/NODE/}, which {@code ip netns exec} bind-mounts over {@code /etc}
 * for every process of that node: a node sees {@code /etc/repmgr.conf} and {@code /etc/pgflip/agent.yaml} as on a
 * droplet, and the lab (outside) reads and writes them at the paths below.
 */
public record LabLayout(Path root, Path netnsEtc) {

    public static final String DIR_ENV = "PGFLIP_LAB_DIR";
    /** What {@code ip netns exec} reads: iproute2's fixed place for a namespace's own {@code /etc} entries. */
    public static final Path NETNS_ETC = Path.of("/etc/netns");
    /** repmgr.conf where a node's processes see it (Debian's {@code /etc/default/repmgrd} names this file). */
    public static final Path NODE_REPMGR_CONF = Path.of("/etc/repmgr.conf");
    /** agent.yaml where a node's processes see it: the package's conffile. */
    public static final Path NODE_AGENT_CONF = DebianLayout.CONFIG;

    public LabLayout(Path root) {
        this(root, NETNS_ETC);
    }

    public static LabLayout resolve(Path explicitDir) {
        if (explicitDir != null) {
            return new LabLayout(explicitDir.toAbsolutePath());
        }
        String fromEnv = System.getenv(DIR_ENV);
        return new LabLayout(Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : "/tmp/pgflip-lab").toAbsolutePath());
    }

    public Path stateFile() { return root.resolve("state.json"); }
    /** How many standbys {@code lab up} made: see {@link RecordedTopology}. */
    public Path topologyFile() { return root.resolve("topology.json"); }
    /** Present only in directories the lab made: down deletes nothing without it. */
    public Path marker() { return root.resolve(".pgflip-lab"); }
    public Path logs() { return root.resolve("logs"); }
    public Path bin() { return root.resolve("bin"); }
    /** The lab's own copy of the pgflip jar, for the emulator: the nodes run the installed package. */
    public Path jar() { return bin().resolve("pgflip.jar"); }
    public Path secrets() { return root.resolve("secrets"); }
    public Path tokenFile() { return secrets().resolve("do-token"); }
    /** A token the emulator accepts with read scope only (its writes get 403): for breaking a node's token scope. */
    public Path readOnlyTokenFile() { return secrets().resolve("do-token-read-only"); }
    public Path pgpass() { return secrets().resolve("pgpass"); }
    public Path repmgrPasswordFile() { return secrets().resolve("repmgr-password"); }
    public Path superuserPasswordFile() { return secrets().resolve("postgres-password"); }
    public Path emulatorConfig() { return root.resolve("emulator.json"); }
    /** The lab's CA and the emulator's certificate; {@code tls/private} (0700) holds the key store. */
    public Path tls() { return root.resolve("tls"); }
    public Path caCertificate() { return tls().resolve("ca.pem"); }
    public Path eventsLog() { return logs().resolve("events.jsonl"); }
    public Path nodeDir(LabNode node) { return root.resolve(node.name()); }
    public Path dataDir(LabNode node) { return nodeDir(node).resolve("data"); }
    public Path socketDir(LabNode node) { return nodeDir(node).resolve("run"); }
    /** The node's own {@code /etc} entries, as the host sees them. */
    public Path nodeEtc(LabNode node) { return netnsEtc.resolve(node.netns()); }
    /** The node's {@link #NODE_REPMGR_CONF}, as the host sees it. */
    public Path repmgrConf(LabNode node) { return nodeEtc(node).resolve("repmgr.conf"); }
    /** The node's {@link #NODE_AGENT_CONF}, as the host sees it. */
    public Path agentConf(LabNode node) { return nodeEtc(node).resolve("pgflip").resolve("agent.yaml"); }
    /** Per node, not the package's shared {@code /var/lib/pgflip/fence.state}: three nodes share this machine. */
    public Path fenceState(LabNode node) { return nodeDir(node).resolve("fence.state"); }
    public Path postgresLog(LabNode node) { return logs().resolve(node.name() + "-postgres.log"); }
    public Path repmgrLog(LabNode node) { return logs().resolve(node.name() + "-repmgr.log"); }
    public Path repmgrdLog(LabNode node) { return logs().resolve(node.name() + "-repmgrd.log"); }
    public Path watchLog(LabNode node) { return logs().resolve(node.name() + "-watch.log"); }
    public Path repmgrdPid(LabNode node) { return nodeDir(node).resolve("repmgrd.pid"); }
    public Path archiveDir(LabNode node) { return nodeDir(node).resolve("config-archive"); }
    public Path emulatorLog() { return logs().resolve("emulator.log"); }
    /** The PIDs of a drill's {@code --cpu-hog} processes, one per line, while they run: lab down ends any left. */
    public Path cpuHogPids() { return root.resolve("cpu-hog.pids"); }
}
