package dev.pgflip.agent.digitalocean;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the API token: {@code digitalocean.token_file} when set (it must not be group/world readable), else the
 * {@value #ENV} environment variable. The token never travels through argv.
 */
public final class TokenSource {
    public static final String ENV = "DIGITALOCEAN_ACCESS_TOKEN";
    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private TokenSource() {}

    /**
     * @param tokenFile {@code digitalocean.token_file}, if configured
     * @param env the process environment (passed in, not read behind the caller's back)
     */
    public static ApiToken load(Optional<Path> tokenFile, Map<String, String> env) {
        if (tokenFile.isPresent()) {
            return fromFile(tokenFile.get());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv == null || fromEnv.isBlank()) {
            throw new PgflipException(ExitCode.USAGE, "no DigitalOcean API token: set digitalocean.token_file in the "
                    + "config (a file with mode 0600) or the " + ENV + " environment variable");
        }
        return new ApiToken(fromEnv, ENV);
    }

    /** Whether a token file with these permissions is readable or writable by its group or by others. */
    public static boolean isOpenToOthers(Set<PosixFilePermission> perms) {
        Set<PosixFilePermission> open = EnumSet.copyOf(TOO_OPEN);
        open.retainAll(perms);
        return !open.isEmpty();
    }

    private static ApiToken fromFile(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (isOpenToOthers(perms)) {
                throw new PgflipException(ExitCode.USAGE, "refusing digitalocean.token_file " + file + ": its mode "
                        + octal(perms) + " (" + PosixFilePermissions.toString(perms) + ") lets group or others at the"
                        + " token; run: chmod 600 " + file);
            }
            String text = Files.readString(file).trim();
            if (text.isEmpty()) {
                throw new PgflipException(ExitCode.USAGE, "digitalocean.token_file " + file + " is empty: put the API token in it");
            }
            return new ApiToken(text, "digitalocean.token_file " + file);
        } catch (NoSuchFileException e) {
            throw new PgflipException(ExitCode.USAGE, "digitalocean.token_file " + file + " does not exist: put the API"
                    + " token in it (chmod 600 " + file + "), or remove token_file and set " + ENV, e);
        } catch (IOException e) {
            // The message of a file-system exception names the file, never its content.
            throw new PgflipException(ExitCode.USAGE, "cannot read digitalocean.token_file " + file + " ("
                    + e.getClass().getSimpleName() + "): it must be a file readable by the user running pgflip,"
                    + " with mode 0600", e);
        } catch (UnsupportedOperationException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot check the mode of digitalocean.token_file " + file
                    + " (not a POSIX file system); use the " + ENV + " environment variable instead", e);
        }
    }

    /** {@code 0644} for rw-r--r--. */
    static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
