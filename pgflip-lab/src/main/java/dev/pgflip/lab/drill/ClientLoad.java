package dev.pgflip.lab.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load on one client stack: writer threads inserting numbered rows and reader threads reading, each
 * pausing a little between calls, every call recorded. Stopping waits a bounded time for the threads.
 */
public final class ClientLoad {
    private static final long PAUSE_MS = 20;

    private final ClientStack stack;
    private final Queue<OpRecord> ops = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextSeq = new AtomicLong(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    public ClientLoad(ClientStack stack, int writers, int readers) {
        this.stack = stack;
        for (int i = 0; i < writers; i++) {
            threads.add(daemon(this::writeLoop, "drill-" + stack.name() + "-writer-" + i));
        }
        for (int i = 0; i < readers; i++) {
            threads.add(daemon(this::readLoop, "drill-" + stack.name() + "-reader-" + i));
        }
    }

    static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    public ClientStack stack() {
        return stack;
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    private void writeLoop() {
        while (running.get()) {
            long seq = nextSeq.getAndIncrement();
            long start = System.currentTimeMillis();
            try {
                String node = stack.write(seq);
                ops.add(new OpRecord(stack.name(), OpRecord.Kind.WRITE, seq, start, System.currentTimeMillis(), true, node, null));
            } catch (Exception e) {
                ops.add(new OpRecord(stack.name(), OpRecord.Kind.WRITE, seq, start, System.currentTimeMillis(), false, null,
                        String.valueOf(e.getMessage())));
            }
            pause();
        }
    }

    private void readLoop() {
        while (running.get()) {
            long start = System.currentTimeMillis();
            try {
                String node = stack.read();
                ops.add(new OpRecord(stack.name(), OpRecord.Kind.READ, -1, start, System.currentTimeMillis(), true, node, null));
            } catch (Exception e) {
                ops.add(new OpRecord(stack.name(), OpRecord.Kind.READ, -1, start, System.currentTimeMillis(), false, null,
                        String.valueOf(e.getMessage())));
            }
            pause();
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Ops recorded so far (a snapshot). */
    public List<OpRecord> ops() {
        return List.copyOf(ops);
    }

    /** Stops the threads (a call stuck in a dead socket is abandoned after the bound) and closes the stack. */
    public void stop() {
        running.set(false);
        long deadline = System.currentTimeMillis() + 5_000;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stack.close();
    }
}
