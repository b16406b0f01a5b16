package dev.pgflip.lab.demo;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The seed's "normal situation test": its countries application (examples/countries: Hibernate on pgflip-jdbc) run
 * against the lab as its own process, configured the way {@code lab env} tells any program, its output shown as is.
 */
public final class CountriesStep {
    private final Lab lab;
    private final Path jar;

    public CountriesStep(Lab lab, Path jar) {
        this.lab = lab;
        this.jar = jar;
    }

    public void run(PrintStream out) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new LabException("the countries example is not built (" + jar + "): run 'mvn -DskipTests package'"
                    + " or 'make build' first");
        }
        String reads = lab.topology().dataNodes().stream().sorted((a, b) -> b.initialRole().compareTo(a.initialRole()))
                .map(n -> n.address() + ":" + LabNode.PORT).collect(Collectors.joining(","));
        ProcessBuilder builder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", jar.toString())).redirectErrorStream(true);
        builder.environment().put("PGFLIP_WRITE", lab.topology().flipIp() + ":" + LabNode.PORT);
        builder.environment().put("PGFLIP_READ", reads);
        builder.environment().put("PGDATABASE", "postgres");
        builder.environment().put("PGUSER", Lab.APP_USER);
        builder.environment().put("PGPASSWORD", Lab.APP_PASSWORD);
        Process process = builder.start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> out.println("    " + line));
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new LabException("the countries example did not finish within 120 s");
        }
        if (process.exitValue() != 0) {
            throw new LabException("the countries example exited " + process.exitValue() + " (its output is above)");
        }
    }
}
