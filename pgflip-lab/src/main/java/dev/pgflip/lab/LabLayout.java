package dev.pgflip.lab;

import java.nio.file.Path;

/** Where everything the lab makes lives: one directory, so that {@code lab down} can remove all of it. */
public record LabLayout(Path root) {

    public static final String DIR_ENV = "PGFLIP_LAB_DIR";

    public static LabLayout resolve(Path explicitDir) {
        if (explicitDir != null) {
            return new LabLayout(explicitDir.toAbsolutePath());
        }
        String fromEnv = System.getenv(DIR_ENV);
        return new LabLayout(Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : "/tmp/pgflip-lab").toAbsolutePath());
    }

    public Path stateFile() { return root.resolve("state.json"); }
    /** Present only in directories the lab made: down deletes nothing without it. */
    public Path marker() { return root.resolve(".pgflip-lab"); }
    public Path logs() { return root.resolve("logs"); }
    public Path bin() { return root.resolve("bin"); }
    public Path jar() { return bin().resolve("pgflip.jar"); }
    public Path launcher() { return bin().resolve("pgflip"); }
    public Path eventHook() { return bin().resolve("pgflip-event"); }
    public Path promoteHook() { return bin().resolve("pgflip-promote"); }
    public Path classDataArchive() { return bin().resolve("pgflip.jsa"); }
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
    public Path repmgrConf(LabNode node) { return nodeDir(node).resolve("repmgr.conf"); }
    public Path agentConf(LabNode node) { return nodeDir(node).resolve("pgflip.yaml"); }
    public Path postgresLog(LabNode node) { return logs().resolve(node.name() + "-postgres.log"); }
    public Path repmgrLog(LabNode node) { return logs().resolve(node.name() + "-repmgr.log"); }
    public Path repmgrdLog(LabNode node) { return logs().resolve(node.name() + "-repmgrd.log"); }
    public Path watchLog(LabNode node) { return logs().resolve(node.name() + "-watch.log"); }
    public Path repmgrdPid(LabNode node) { return nodeDir(node).resolve("repmgrd.pid"); }
    public Path archiveDir(LabNode node) { return nodeDir(node).resolve("config-archive"); }
    public Path emulatorLog() { return logs().resolve("emulator.log"); }
}
