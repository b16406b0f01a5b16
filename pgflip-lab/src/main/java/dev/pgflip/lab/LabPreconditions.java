package dev.pgflip.lab;

import dev.pgflip.lab.cluster.PostgresNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks, before anything is created, that this machine can run the lab; reports every problem at once. */
public final class LabPreconditions {
    private LabPreconditions() {}

    public static void check() {
        List<String> problems = new ArrayList<>();
        try {
            if (((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) != 0) {
                problems.add("the lab creates network namespaces and must run as root (try: sudo ./pgflip lab up)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            problems.add("cannot tell whether we run as root: " + e.getMessage());
        }
        for (String binary : List.of("postgres", "pg_ctl", "initdb", "repmgr", "repmgrd")) {
            if (!Files.isExecutable(PostgresNode.PG_BIN.resolve(binary))) {
                problems.add("missing " + PostgresNode.PG_BIN.resolve(binary)
                        + " (install: apt-get install postgresql-15 postgresql-15-repmgr, or run 'make deps')");
            }
        }
        for (String tool : List.of("/usr/bin/arping", "/usr/bin/setpriv", "/usr/bin/setsid")) {
            if (!Files.isExecutable(Path.of(tool))) {
                problems.add("missing " + tool + " (install: apt-get install iputils-arping util-linux, or run 'make deps')");
            }
        }
        if (!problems.isEmpty()) {
            throw new LabException("this machine cannot run the lab yet:\n  - " + String.join("\n  - ", problems));
        }
    }
}
