package dev.pgflip.agent.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSourceTest {
    static final String SECRET = "test-token-not-real-abcdef0123456789";

    @TempDir
    Path dir;

    Path tokenFile(String mode) throws Exception {
        Path f = dir.resolve("do-token");
        Files.writeString(f, "  " + SECRET + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void privateFileIsReadAndTrimmed() throws Exception {
        ApiToken t = TokenSource.load(Optional.of(tokenFile("rw-------")), Map.of());
        assertThat(t).isEqualTo(new ApiToken(SECRET));
        assertThat(t.bearerHeaderValue()).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void groupOrWorldReadableFileIsRefusedWithChmodAdvice() throws Exception {
        Path f = tokenFile("rw-r--r--");
        assertThatThrownBy(() -> TokenSource.load(Optional.of(f), Map.of(TokenSource.ENV, "other")))
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("chmod 600")
                .hasMessageNotContaining(SECRET)
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void environmentIsUsedOnlyWithoutTokenFile() throws Exception {
        assertThat(TokenSource.load(Optional.empty(), Map.of(TokenSource.ENV, SECRET))).isEqualTo(new ApiToken(SECRET));
        assertThat(TokenSource.load(Optional.of(tokenFile("r--------")), Map.of(TokenSource.ENV, "from-env")))
                .isEqualTo(new ApiToken(SECRET));
    }

    @Test
    void missingTokenNamesTheVariableAndTheKey() {
        assertThatThrownBy(() -> TokenSource.load(Optional.empty(), Map.of()))
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("DIGITALOCEAN_ACCESS_TOKEN")
                .hasMessageContaining("digitalocean.token_file")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void missingFileIsAUsageError() {
        assertThatThrownBy(() -> TokenSource.load(Optional.of(dir.resolve("nope")), Map.of()))
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("cannot read digitalocean.token_file");
    }

    @Test
    void tokenIsMaskedInToString() {
        ApiToken t = new ApiToken(SECRET);
        assertThat(t.toString()).isEqualTo("ApiToken[****]");
        assertThat(String.valueOf(java.util.List.of(t))).doesNotContain(SECRET);
    }
}
