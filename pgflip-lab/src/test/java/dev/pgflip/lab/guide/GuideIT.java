package dev.pgflip.lab.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.lab.OnTheLab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deploy guide, run: every block marked {@code run on …} runs on a fresh lab in the guide's order, as root, on the
 * lab's host (after {@code eval "$(pgflip lab env)"}, as section 3's note says) or inside that node's namespace (where
 * it sees the node's own /etc and the installed package), with only {@link LabSubstitutions} applied. Consecutive
 * blocks on the same place share one shell, as a reader's terminal does. Every block must exit 0, and the outputs the
 * guide shows must come out.
 */
class GuideIT extends OnTheLab {
    private static final Path JAR = Path.of(System.getProperty("pgflip.jar", "target/pgflip.jar")).toAbsolutePath();

    record Run(String place, List<GuideBlock> blocks, int exitCode, String output) {}

    @Test
    void everyBlockMarkedToRunRunsOnTheLabAsWritten() throws Exception {
        List<Run> runs = new ArrayList<>();
        List<GuideBlock> session = new ArrayList<>();
        for (GuideBlock block : GuideBlock.read().stream().filter(GuideBlock::runs).toList()) {
            if (!session.isEmpty() && !session.get(0).place().equals(block.place())) {
                runs.add(run(session));
                session = new ArrayList<>();
            }
            session.add(block);
        }
        runs.add(run(session));

        for (Run run : runs) {
            assertThat(run.exitCode()).as(run.blocks() + " on " + run.place() + ":\n" + run.output()).isZero();
        }
        String all = String.join("\n", runs.stream().map(Run::output).toList());
        // Section 3: the droplet list, then a new IP created in the region and assigned (to n3's droplet, see LabSubstitutions) through the action loop.
        assertThat(all).contains("101 n1 lab1", "102 n2 lab1", "103 n3 lab1").containsPattern("action \\d+: completed")
                .containsPattern("\\{\"ip\":\"198\\.18\\.[0-9.]+\",\"droplet\":103,\"locked\":false\\}");
        // The emulator moved that new IP alone: the lab's own stays on n1 (it once moved the lab's IP instead).
        java.util.regex.Matcher created = java.util.regex.Pattern.compile("created (198\\.18\\.[0-9.]+)").matcher(all);
        assertThat(created.find()).as("the IP section 3 created").isTrue();
        assertThat(addresses("n3")).contains(created.group(1) + "/32").doesNotContain("198.18.0.100/32");
        assertThat(addresses("n1")).contains("198.18.0.100/32");
        // Section 4: flip status as postgres on n1 with the package's launcher and the node's own agent.yaml.
        assertThat(all).containsPattern("198\\.18\\.0\\.100\\s+lab1\\s+101\\s+n1");
        // Section 6: the settings on the primary, the standby streaming, and n2's anchor and VPC addresses.
        assertThat(all).contains("wal_log_hints=on", "shared_preload_libraries=repmgr").containsPattern("n2\\|streaming\\|");
        assertThat(runs.stream().filter(r -> r.blocks().stream().anyMatch(b -> b.text().contains("anchor_ipv4")))
                .map(Run::output).findFirst().orElseThrow().lines().limit(2).toList())
                .as("n2's anchor and VPC addresses, the first lines of its session").containsExactly("198.18.0.12", "198.18.0.12");
        // Section 11: doctor on n2 as the guide runs it, exit 0 = no ✗, and the jq filter finds no failed check.
        assertThat(all).contains("✓ repmgr.conf /etc/repmgr.conf: node_id=2, node_name=n2");
    }

    private static String addresses(String node) throws Exception {
        Process ip = new ProcessBuilder("ip", "-n", node, "-4", "addr", "show").redirectErrorStream(true).start();
        String out = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ip.waitFor()).isZero();
        return out;
    }

    private Run run(List<GuideBlock> blocks) throws Exception {
        String place = blocks.get(0).place();
        StringBuilder script = new StringBuilder();
        if (place.equals("host")) {
            script.append("eval \"$(java -jar ").append(JAR).append(" lab env --dir ").append(lab.dir()).append(")\"\n");
            script.append("export CURL_CA_BUNDLE=$PGFLIP_DO_CA_FILE\n");
        }
        for (GuideBlock block : blocks) {
            script.append(LabSubstitutions.apply(block.text(), JAR));
        }
        List<String> argv = new ArrayList<>();
        if (!place.equals("host")) {
            argv.addAll(List.of("ip", "netns", "exec", place));
        }
        argv.addAll(List.of("bash", "-e", "-o", "pipefail", "-s"));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        // A reader's root shell: none of the test JVM's PG* or lab variables.
        builder.environment().clear();
        builder.environment().putAll(java.util.Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME", "/root", "LANG", "C.UTF-8"));
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        process.getOutputStream().write(script.toString().getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(blocks + " on " + place + " ran for 4 minutes");
        }
        Run run = new Run(place, blocks, process.exitValue(), output.join());
        // The guide run's transcript, in failsafe's report of this test (the note quotes it).
        System.out.printf("### on %s, the blocks at lines %s: exit %d%n%s%n", place,
                blocks.stream().map(GuideBlock::line).toList(), run.exitCode(), run.output());
        return run;
    }
}
