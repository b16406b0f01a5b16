package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.emulator.DigitalOceanEmulator;
import dev.pgflip.lab.emulator.EmulatedDroplet;
import dev.pgflip.lab.emulator.EmulatorMain;
import dev.pgflip.lab.emulator.EmulatorSettings;
import dev.pgflip.lab.emulator.FlipMover;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The emulator's own process, started by 'lab up'; hidden because nobody runs it by hand. */
@Command(name = "emulator", hidden = true, mixinStandardHelpOptions = true,
        description = {"Run the lab's DigitalOcean API emulator in the foreground.", "'lab up' starts it."})
public final class LabEmulatorCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Override
    public Integer call() throws Exception {
        Lab lab = options.lab();
        EmulatorSettings settings = EmulatorSettings.load(lab.layout().emulatorConfig());
        FlipMover mover = (ip, from, to) -> lab.network().moveFlip(ip, to.map(d -> nodeOf(lab, d)));
        CountDownLatch stopped = new CountDownLatch(1);
        try (DigitalOceanEmulator emulator = EmulatorMain.start(settings, mover)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "emulator-shutdown"));
            System.out.println("DigitalOcean API emulator listening on " + emulator.baseUrl() + ", metadata on "
                    + emulator.metadataUrl());
            stopped.await();
        }
        return 0;
    }

    private static LabNode nodeOf(Lab lab, EmulatedDroplet droplet) {
        return lab.topology().nodes().stream().filter(n -> n.dropletId() == droplet.id()).findFirst()
                .orElseThrow(() -> new IllegalStateException("droplet " + droplet.id() + " is not a lab node"));
    }
}
