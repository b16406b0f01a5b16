package dev.pgflip.agent.repmgrd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process may end another's connection ({@code ss -K} needs {@code CAP_NET_ADMIN} in its effective set),
 * read from {@code /proc/self/status}: said at the watch's start, so a unit without the capability shows before a
 * frozen primary needs it.
 */
public final class NetAdminCapability {
    private static final int CAP_NET_ADMIN = 12;

    private NetAdminCapability() {}

    /** Empty when the status cannot be read (not Linux). */
    public static Optional<Boolean> ofThisProcess() {
        try {
            return effective(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Boolean> effective(List<String> statusLines) {
        return statusLines.stream().filter(l -> l.startsWith("CapEff:")).findFirst()
                .map(l -> l.substring("CapEff:".length()).strip())
                .map(hex -> (Long.parseUnsignedLong(hex, 16) & (1L << CAP_NET_ADMIN)) != 0);
    }
}
