package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything that runs through a drill run: the load on every client stack, the probe writing directly to each data
 * node, and the live line when asked for. Started before the fault, stopped once the run has seen enough.
 */
final class RunLoad {
    private static final int WRITERS = 2;
    private static final int READERS = 2;

    private final List<ClientLoad> loads = new ArrayList<>();
    private final WritableNodesProbe writable;
    private final LiveView view;

    RunLoad(Lab lab, List<Supplier<ClientStack>> stacks, boolean live) {
        for (Supplier<ClientStack> stack : stacks) {
            loads.add(new ClientLoad(stack.get(), WRITERS, READERS));
        }
        writable = new WritableNodesProbe(lab.topology().dataNodes(), Lab.APP_USER, Lab.APP_PASSWORD);
        view = live ? new LiveView(loads, lab.network(), System.out) : null;
    }

    void start() {
        loads.forEach(ClientLoad::start);
        writable.start();
        if (view != null) {
            view.start();
        }
    }

    void stop() {
        if (view != null) {
            view.stop();
        }
        loads.forEach(ClientLoad::stop);
        writable.stop();
    }

    List<ClientLoad> loads() {
        return loads;
    }

    List<String> names() {
        return loads.stream().map(l -> l.stack().name()).toList();
    }

    WritableNodesProbe writable() {
        return writable;
    }

    /** The first of {@code nodes} every client has written to since the fault; empty if none within the timeout. */
    Optional<String> awaitWritesOnAny(List<String> nodes, long faultMs, long timeoutMs) throws InterruptedException {
        while (System.currentTimeMillis() - faultMs < timeoutMs) {
            for (String node : nodes) {
                if (loads.stream().allMatch(l -> ClientMeasures.writeUnavailable(l.ops(), faultMs, node) != null)) {
                    return Optional.of(node);
                }
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    /** Nodes waited for as a message names them: {@code n2}, or {@code one of [n2, n4]}. */
    static String oneOf(List<String> nodes) {
        return nodes.size() == 1 ? nodes.get(0) : "one of " + nodes;
    }
}
