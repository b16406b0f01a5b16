package dev.pgflip.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar pgflip.jar --version} as an operator runs it: the project's version, read from the shaded jar's
 * manifest, never "development" (what a run from classes prints). Needs no lab, only the jar that {@code package}
 * built; failsafe passes its path and the project version (pgflip-lab/pom.xml).
 */
class PgflipJarVersionIT {

    @Test
    void theRunnableJarPrintsTheProjectVersion() throws Exception {
        String version = System.getProperty("pgflip.version");
        assertThat(version).as("system property pgflip.version, set by failsafe").isNotBlank();

        assertThat(runJar("--version")).isEqualTo("pgflip " + version + System.lineSeparator());
    }

    /** The jar's stdout, once it exited 0; 60 s is ample for a JVM start even on a loaded host. */
    private static String runJar(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("pgflip.jar", "target/pgflip.jar")).toAbsolutePath();
        assertThat(jar).as("the shaded jar; failsafe runs after package").isRegularFile();
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        argv.addAll(List.of(args));
        // stdout goes to a file, not a pipe: a hung jar then cannot block the read, and waitFor bounds the wait.
        Path out = Files.createTempFile("pgflip-jar", ".out");
        try {
            Process process = new ProcessBuilder(argv).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pgflip " + String.join(" ", args) + " did not exit in 60 s");
            }
            assertThat(process.exitValue()).as("exit code of pgflip " + String.join(" ", args)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
