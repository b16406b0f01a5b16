package dev.pgflip.agent.packaging;

import dev.pgflip.agent.repmgr.HookScripts;
import dev.pgflip.agent.repmgr.PromoteWrapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The package's three shell scripts, rendered by the build (Maven's prepare-package phase) from the sources the lab
 * renders its own from: {@code PackageScripts <dir>} writes {@code <dir>/usr/bin/…}.
 */
public final class PackageScripts {
    static final String HEADER = "Installed by the pgflip-agent package.";

    private PackageScripts() {}

    /** Path on the node → content. */
    public static Map<Path, String> render() {
        Map<Path, String> scripts = new LinkedHashMap<>();
        scripts.put(DebianLayout.LAUNCHER, HookScripts.launcher(DebianLayout.JAVA, DebianLayout.JAR,
                DebianLayout.CLASS_DATA_ARCHIVE, HEADER));
        scripts.put(DebianLayout.PROMOTE_HOOK, PromoteWrapper.render(DebianLayout.PG_BIN, DebianLayout.LAUNCHER, HEADER));
        scripts.put(DebianLayout.EVENT_HOOK, HookScripts.eventHook(DebianLayout.LAUNCHER, DebianLayout.EVENT_HOOK_LOG,
                HEADER));
        return scripts;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: PackageScripts OUTPUT_DIR (the package's root, e.g. target/deb)");
        }
        Path root = Path.of(args[0]);
        for (Map.Entry<Path, String> script : render().entrySet()) {
            Path file = root.resolve(script.getKey().toString().substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, script.getValue());
        }
    }
}
