package dev.pgflip.examples.countries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountriesSettingsTest {
    private static final CountriesSettings.Options NO_OPTIONS = new CountriesSettings.Options(null, null, null, null, null);
    private static final Map<String, String> LAB_ENV = Map.of("PGFLIP_WRITE", "198.18.0.100:5432",
            "PGFLIP_READ", "198.18.0.12:5432, 198.18.0.11:5432", "PGDATABASE", "postgres", "PGUSER", "postgres",
            "PGPASSWORD", "123456");

    @Test
    void takesEverythingFromTheLabEnvironment() {
        CountriesSettings s = CountriesSettings.resolve(NO_OPTIONS, LAB_ENV);

        assertThat(s.write()).isEqualTo("198.18.0.100:5432");
        assertThat(s.writeHost()).isEqualTo("198.18.0.100");
        assertThat(s.read()).containsExactly("198.18.0.12:5432", "198.18.0.11:5432");
        assertThat(s.database()).isEqualTo("postgres");
        assertThat(s.user()).isEqualTo("postgres");
        assertThat(s.password()).isEqualTo("123456");
    }

    @Test
    void optionsWinOverTheEnvironment() {
        var options = new CountriesSettings.Options("10.0.0.1", "10.0.0.2", "app", "alice", null);

        CountriesSettings s = CountriesSettings.resolve(options, LAB_ENV);

        assertThat(List.of(s.write(), s.read().get(0), s.database(), s.user())).containsExactly("10.0.0.1", "10.0.0.2",
                "app", "alice");
    }

    @Test
    void namesEveryMissingSettingWithItsOptionAndVariable(@TempDir Path dir) {
        Map<String, String> env = Map.of("PGPASSFILE", dir.resolve("none").toString());

        assertThatThrownBy(() -> CountriesSettings.resolve(NO_OPTIONS, env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--write or PGFLIP_WRITE")
                .hasMessageContaining("--read or PGFLIP_READ")
                .hasMessageContaining("--database or PGDATABASE")
                .hasMessageContaining("--user or PGUSER")
                .hasMessageContaining("--password-file, PGFLIP_PASSWORD, PGPASSWORD or a pgpass file")
                .hasMessageContaining("pgflip lab env");
    }

    @Test
    void passwordFileWinsAndPgpassAloneIsEnough(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "s3cret\n");
        Path pgpass = Files.writeString(dir.resolve("pgpass"), "*:*:*:postgres:123456\n");
        Map<String, String> noPassword = Map.of("PGFLIP_WRITE", "f:5432", "PGFLIP_READ", "s:5432", "PGDATABASE", "d",
                "PGUSER", "u", "PGPASSFILE", pgpass.toString());

        assertThat(CountriesSettings.resolve(new CountriesSettings.Options(null, null, null, null, file), LAB_ENV)
                .password()).isEqualTo("s3cret");
        assertThat(CountriesSettings.resolve(NO_OPTIONS, noPassword).password()).isNull();
    }

    @Test
    void neverShowsThePassword() {
        assertThat(CountriesSettings.resolve(NO_OPTIONS, LAB_ENV).toString()).doesNotContain("123456").contains("****");
    }
}
