package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.ReaderSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which readers a read tries, from a {@link ClusterView}: in what order ({@link ReaderSelector}: healthy
 * standbys first, a primary of the read list as last resort), and, for a read-your-writes session, which of them the
 * last probe already shows caught up to the session's commit ({@link CatchUp}). Each call to {@link #order} takes the
 * next turn of a round robin.
 */
public final class ReadRouter {
    private final ReaderSelector selector;

    public ReadRouter(ReaderSelection selection) {
        this.selector = new ReaderSelector(selection);
    }

    /** The readers in the order a read should try them; empty when none is usable (the read goes to the writer). */
    public List<HostSpec> order(ClusterView view) {
        List<ReaderSelector.Candidate> candidates = new ArrayList<>(view.readers().size());
        for (ClusterView.HostView r : view.readers()) {
            candidates.add(new ReaderSelector.Candidate(r.host(), r.state(), r.busy()));
        }
        return selector.order(candidates);
    }

    /**
     * The readers, in {@link #order}, whose last probe answer shows them holding {@code commit}: a read may go there
     * without asking them first. The others may still catch up; only asking them tells (see {@link ReaderLending}).
     */
    public List<HostSpec> caughtUp(ClusterView view, WalPosition commit) {
        Map<HostSpec, ProbeResult> answers = new HashMap<>();
        view.readers().forEach(r -> answers.put(r.host(), r.answer()));
        List<HostSpec> caughtUp = new ArrayList<>();
        for (HostSpec host : order(view)) {
            if (CatchUp.verdict(commit, WalPosition.of(answers.get(host)), null) == CatchUp.Verdict.CAUGHT_UP) {
                caughtUp.add(host);
            }
        }
        return caughtUp;
    }
}
