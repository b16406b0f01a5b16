package dev.pgflip.lab.install;

import dev.pgflip.lab.LabException;
import dev.pgflip.lab.process.CommandResult;
import dev.pgflip.lab.process.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The agent's Debian package ({@code pgflip-agent_<version>_all.deb}, built by {@code pgflip-agent}'s Maven build),
 * installed on this machine by {@code lab up} with {@code dpkg -i} as an operator installs it on a droplet, and purged
 * by {@code lab down}. The lab's nodes then run {@code /usr/bin/pgflip} and its hooks, not a copy of their own.
 */
public final class AgentPackage {
    public static final String NAME = "pgflip-agent";
    /** Where a build from a source tree leaves the package, relative to the repository's root. */
    static final Path BUILD_DIR = Path.of("pgflip-agent", "target");
    private static final Duration DPKG_TIMEOUT = Duration.ofMinutes(3);

    private final Commands commands;

    public AgentPackage(Commands commands) {
        this.commands = commands;
    }

    /**
     * The package file: {@code explicit} when given, else the newest one the build left beside the jar we run from
     * ({@code <repo>/pgflip-lab/target/pgflip.jar} → {@code <repo>/pgflip-agent/target/}).
     */
    public static Path locate(Path explicit, Path sourceJar) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit) || !explicit.getFileName().toString().endsWith(".deb")) {
                throw new LabException("--agent-package " + explicit + " is not a .deb file: give the pgflip-agent package"
                        + " that 'mvn -DskipTests package' builds in pgflip-agent/target/");
            }
            return explicit.toAbsolutePath();
        }
        Path repo = sourceJar.toAbsolutePath().getParent().getParent().getParent();
        Path dir = repo.resolve(BUILD_DIR);
        try (var files = Files.list(dir)) {
            Optional<Path> newest = files
                    .filter(f -> f.getFileName().toString().matches(NAME + "_.+_all\\.deb"))
                    .max(Comparator.comparing(AgentPackage::modified));
            return newest.orElseThrow(() -> missing(dir));
        } catch (java.nio.file.NoSuchFileException e) {
            throw missing(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static LabException missing(Path dir) {
        return new LabException("no " + NAME + "_<version>_all.deb in " + dir + ": the lab installs the agent's package"
                + " as a droplet does; build it with 'mvn -DskipTests package' (./pgflip does that when sources change),"
                + " or name one with --agent-package FILE");
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The version dpkg knows on this machine, in any state but purged: installed, half-installed, or removed with its
     * configuration kept ({@code config-files}), which a purge would delete.
     */
    public Optional<String> installedVersion() {
        CommandResult result = commands.attempt(List.of("dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", NAME),
                Duration.ofSeconds(30));
        if (!result.succeeded()) {
            return Optional.empty();
        }
        String[] statusAndVersion = result.output().strip().split(" ", 2);
        boolean present = statusAndVersion.length == 2 && !statusAndVersion[0].equals("not-installed");
        return present ? Optional.of(statusAndVersion[1]) : Optional.empty();
    }

    /** Refuses to replace a package the lab did not install: it may be an operator's, with their configuration. */
    public void refuseForeignInstall() {
        installedVersion().ifPresent(version -> {
            throw new LabException(NAME + " " + version + " is on this machine (installed, or its configuration kept),"
                    + " and not by a lab: 'lab up'"
                    + " installs its own build and purges it at 'lab down'. Remove yours first ('dpkg -P " + NAME
                    + "', which deletes /etc/pgflip), or run the lab on another machine");
        });
    }

    /**
     * {@code dpkg -i}, non-interactive: {@code --force-confold} keeps an /etc/pgflip/agent.yaml left by a removed (not
     * purged) package instead of asking; the nodes read their own copies anyway.
     */
    public void install(Path deb) {
        commands.run(List.of("env", "DEBIAN_FRONTEND=noninteractive", "dpkg", "--force-confdef", "--force-confold",
                "-i", deb.toString()), DPKG_TIMEOUT);
    }

    /** {@code dpkg -P}: the package, its configuration and logs; a no-op when it is not installed. */
    public void purge() {
        commands.run(List.of("env", "DEBIAN_FRONTEND=noninteractive", "dpkg", "-P", NAME), DPKG_TIMEOUT);
    }
}
