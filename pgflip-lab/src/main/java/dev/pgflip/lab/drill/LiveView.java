package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.net.LabNetwork;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The drill's live one-line display: per second, successful and failed writes and reads, the node that served the
 * last write, and the namespace carrying the floating IP. On a terminal the line is rewritten in place; in a log,
 * one line a second.
 */
public final class LiveView {
    private final List<ClientLoad> loads;
    private final LabNetwork network;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final long startMs = System.currentTimeMillis();

    public LiveView(List<ClientLoad> loads, LabNetwork network, PrintStream out) {
        this.loads = loads;
        this.network = network;
        this.out = out;
        this.thread = ClientLoad.daemon(this::loop, "drill-live-view");
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            StringBuilder line = new StringBuilder(String.format("  %5.1fs", (now - startMs) / 1000.0));
            for (ClientLoad load : loads) {
                List<OpRecord> last = load.ops().stream().filter(o -> o.endMs() > now - 1_000).toList();
                String lastWriter = load.ops().stream().filter(o -> o.kind() == OpRecord.Kind.WRITE && o.ok())
                        .reduce((a, b) -> b).map(OpRecord::node).orElse("-");
                line.append(String.format("  %s: writes %3d ok %3d failed/s, reads %3d ok %3d failed/s, primary %s",
                        load.stack().name(), count(last, OpRecord.Kind.WRITE, true), count(last, OpRecord.Kind.WRITE, false),
                        count(last, OpRecord.Kind.READ, true), count(last, OpRecord.Kind.READ, false), lastWriter));
            }
            line.append("  FLIP on ").append(network.flipHolder().map(LabNode::name).orElse("no node"));
            if (terminal) {
                out.print("\r" + line + "   ");
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    private static long count(List<OpRecord> ops, OpRecord.Kind kind, boolean ok) {
        return ops.stream().filter(o -> o.kind() == kind && o.ok() == ok).count();
    }

    public void stop() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) {
            out.println();
        }
    }
}
