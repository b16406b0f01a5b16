package dev.pgflip.agent.doctor;

import java.util.ArrayList;
import java.util.List;

/** Every check of one doctor run, in the order they ran. */
public final class DoctorReport {
    private final List<CheckResult> results = new ArrayList<>();

    public void add(CheckResult result) {
        results.add(result);
    }

    public List<CheckResult> results() {
        return List.copyOf(results);
    }

    public long failures() {
        return results.stream().filter(CheckResult::failed).count();
    }

    public long passed() {
        return results.stream().filter(r -> r.status() == CheckStatus.OK).count();
    }

    /**
     * The process exit code: the number of failed checks, so 0 means healthy and a script can tell "one thing" from
     * "many things". Capped below the codes shells give to signals (128+).
     */
    public int exitCode() {
        return (int) Math.min(failures(), 100);
    }
}
