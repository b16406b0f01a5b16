package dev.pgflip.agent.doctor;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** POSIX permissions as chmod writes them: {@code 0600}. */
final class FileMode {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};

    private FileMode() {}

    static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission bit : BITS) {
            mode = (mode << 1) | (perms.contains(bit) ? 1 : 0);
        }
        return String.format("%04o", mode);
    }
}
