package dev.pgflip.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guide shows what the package installs, word for word: its three scripts and its systemd unit. */
class PackageScriptsTest {
    private static final Path GUIDE = Path.of("..", "docs", "deploy-digitalocean.md");

    @Test
    void theGuideShowsThePackagesScriptsAsRendered() throws IOException {
        String guide = Files.readString(GUIDE);
        Map<Path, String> scripts = PackageScripts.render();
        assertThat(scripts).containsOnlyKeys(DebianLayout.LAUNCHER, DebianLayout.PROMOTE_HOOK, DebianLayout.EVENT_HOOK);
        scripts.forEach((path, script) -> assertThat(guide).as(path + " in the guide").contains("```sh\n" + script + "```"));
    }

    @Test
    void theScriptsCallTheInstalledAgentAndJar() {
        Map<Path, String> scripts = PackageScripts.render();
        assertThat(scripts.get(DebianLayout.LAUNCHER)).contains("-cp /usr/share/pgflip/pgflip-agent.jar")
                .contains("-XX:SharedArchiveFile=/var/lib/pgflip/pgflip.jsa").startsWith("#!/bin/sh\n");
        assertThat(scripts.get(DebianLayout.PROMOTE_HOOK)).contains("exec nice -n 5 /usr/bin/pgflip promote")
                .contains("/usr/lib/postgresql/15/bin/repmgr primary register --force").contains("PERFORM pg_promote(wait => false)")
                .contains("timeout 0.5 /usr/lib/postgresql/15/bin/pg_isready -q -d");
        assertThat(scripts.get(DebianLayout.EVENT_HOOK)).contains("/usr/bin/pgflip event \"$@\"")
                .contains("2>>/var/log/pgflip/event-hook.log");
    }

    @Test
    void theGuideShowsThePackagesUnit() throws IOException {
        String unit = Files.readString(Path.of("src", "deb", "lib", "systemd", "system", "pgflip-watch.service"));
        assertThat(Files.readString(GUIDE)).contains("```ini\n" + unit + "```");
    }
}
