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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest(name = "mode {0} is refused")
    @CsvSource({"0644, rw-r--r--", "0640, rw-r-----", "0604, rw----r--", "0620, rw--w----", "0601, rw------x",
            "0666, rw-rw-rw-"})
    void aFileOthersCanReachIsRefusedInOneLineNamingFileModeAndFix(String octal, String mode) throws Exception {
        Path f = tokenFile(mode);
        assertThatThrownBy(() -> TokenSource.load(Optional.of(f), Map.of(TokenSource.ENV, "other")))
                .isInstanceOf(PgflipException.class)
                .hasMessage("refusing digitalocean.token_file " + f + ": its mode " + octal + " (" + mode
                        + ") lets group or others at the token; run: chmod 600 " + f)
                .hasMessageNotContaining(SECRET)
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @ParameterizedTest(name = "mode {0} is accepted")
    @ValueSource(strings = {"rw-------", "r--------"})
    void aFileOnlyItsOwnerCanReadIsAccepted(String mode) throws Exception {
        assertThat(TokenSource.load(Optional.of(tokenFile(mode)), Map.of())).isEqualTo(new ApiToken(SECRET));
    }

    @Test
    void theEnvironmentDoesNotRescueARefusedFile() throws Exception {
        Path f = tokenFile("rw-r--r--");
        assertThatThrownBy(() -> TokenSource.load(Optional.of(f), Map.of(TokenSource.ENV, SECRET)))
                .hasMessageContaining("chmod 600 " + f);
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
    void missingFileIsAUsageErrorSayingWhatToPutWhere() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> TokenSource.load(Optional.of(missing), Map.of()))
                .isInstanceOf(PgflipException.class)
                .hasMessage("digitalocean.token_file " + missing + " does not exist: put the API token in it (chmod 600 "
                        + missing + "), or remove token_file and set DIGITALOCEAN_ACCESS_TOKEN");
    }

    @Test
    void emptyFileSaysToPutTheTokenIn() throws Exception {
        Path f = tokenFile("rw-------");
        Files.writeString(f, "\n");
        assertThatThrownBy(() -> TokenSource.load(Optional.of(f), Map.of()))
                .hasMessage("digitalocean.token_file " + f + " is empty: put the API token in it");
    }

    @Test
    void tokenIsMaskedInToString() {
        ApiToken t = new ApiToken(SECRET);
        assertThat(t.toString()).isEqualTo("ApiToken[****]");
        assertThat(String.valueOf(java.util.List.of(t))).doesNotContain(SECRET);
    }
}
