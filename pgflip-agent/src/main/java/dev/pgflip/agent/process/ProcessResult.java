package dev.pgflip.agent.process;

import java.util.List;

/** How a finished (or abandoned) subprocess ended. */
public record ProcessResult(List<String> argv, int exitCode, boolean timedOut, String stdout, String stderr) {

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The last non-blank stderr line (what a command says when it fails), or "" if none. */
    public String lastStderrLine() {
        String last = "";
        for (String line : stderr.split("\\R")) {
            if (!line.isBlank()) {
                last = line.trim();
            }
        }
        return last;
    }

    /** For messages: {@code ip addr replace ... exited with 2: RTNETLINK answers: ...}. */
    public String describe() {
        String cmd = String.join(" ", argv);
        if (timedOut) {
            return cmd + " did not finish in time and was killed";
        }
        String why = lastStderrLine();
        return cmd + " exited with " + exitCode + (why.isEmpty() ? "" : ": " + why);
    }
}
