package dev.pgflip.agent.config;

import java.util.List;
import java.util.Optional;

/** Which sections a command needs: only those of the chosen command and provider are required. */
final class SectionRequirements {
    private final YamlSection root;
    private final List<String> problems;

    SectionRequirements(YamlSection root, List<String> problems) {
        this.root = root;
        this.problems = problems;
    }

    void check(AgentConfig c, ConfigPurpose purpose) {
        switch (purpose) {
            case PROMOTE:
                require(c.node(), "node", "for pgflip promote");
                c.node().ifPresent(n -> require(n.database(), "node.database", "for pgflip promote (the role check)"));
                require(c.promote(), "promote", "for pgflip promote (or pass --skip-promote)");
                requireFlipAndProvider(c);
                break;
            case FLIP_ONLY:
                require(c.node(), "node", "for pgflip promote");
                requireFlipAndProvider(c);
                break;
            case WATCH:
                require(c.node(), "node", "for pgflip watch");
                c.node().ifPresent(n -> require(n.database(), "node.database", "for pgflip watch (the role check)"));
                requireFlipAndProvider(c);
                break;
            case DOCTOR:
                require(c.node(), "node", "for pgflip doctor");
                c.node().ifPresent(n -> require(n.database(), "node.database", "for pgflip doctor (the PostgreSQL checks)"));
                requireFlipAndProvider(c);
                break;
            case STATUS:
                require(c.node(), "node", "for pgflip status");
                c.node().ifPresent(n -> require(n.database(), "node.database", "for pgflip status (it asks the nodes)"));
                requireFlipAndProvider(c);
                break;
            case REJOIN:
                require(c.node(), "node", "for pgflip rejoin");
                c.node().ifPresent(n -> require(n.database(), "node.database", "for pgflip rejoin (the role checks)"));
                require(c.flip(), "flip", "for pgflip rejoin (the floating IP leads to the current primary)");
                require(c.rejoin(), "rejoin", "for pgflip rejoin");
                break;
            case FOLLOW:
                require(c.node(), "node", "for pgflip follow");
                c.node().ifPresent(n -> require(n.database(), "node.database",
                        "for pgflip follow (it reads repmgr.nodes here and asks the new primary with these credentials)"));
                require(c.rejoin(), "rejoin", "for pgflip follow: add rejoin.repmgr_conf (this node's repmgr.conf),"
                        + " rejoin.repmgr (the repmgr binary; default repmgr on PATH) and rejoin.config_archive_dir"
                        + " (which pgflip rejoin needs too)");
                break;
            case START_GUARD:
                require(c.node(), "node", "for pgflip start-guard");
                c.node().ifPresent(n -> require(n.database(), "node.database",
                        "for pgflip start-guard (the credentials it asks the peers and the witness with)"));
                require(c.fencing(), "fencing", "for pgflip start-guard: fencing.repmgr_conf (its data_directory)"
                        + " and fencing.state_file (the fence record, and the peer list the watch keeps beside it)");
                break;
            case FLIP_COMMAND:
                require(c.flip(), "flip", "for pgflip flip");
                require(c.digitalocean(), "digitalocean", "for pgflip flip (it talks to the DigitalOcean API)");
                break;
            case EVENT:
                require(c.events(), "events", "for pgflip event");
                break;
            default:
                throw new IllegalArgumentException(purpose.name());
        }
    }

    private void requireFlipAndProvider(AgentConfig c) {
        require(c.flip(), "flip", "to move the floating IP");
        c.flip().ifPresent(f -> {
            String why = "because flip.provider is " + f.provider().key();
            switch (f.provider()) {
                case DIGITALOCEAN: require(c.digitalocean(), "digitalocean", why); break;
                case LOCAL: require(c.local(), "local", why); break;
                case EXEC: require(c.exec(), "exec", why); break;
                default: throw new IllegalArgumentException(f.provider().name());
            }
        });
    }

    private void require(Optional<?> section, String key, String why) {
        if (section.isEmpty()) {
            problems.add(key + ": missing section, required " + why);
        }
    }
}
