package dev.pgflip.lab.emulator;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the emulator as a process of its own until it is stopped (SIGTERM/SIGINT):
 * <pre>{@code java -cp pgflip.jar dev.pgflip.lab.emulator.EmulatorMain --config emulator.json}</pre>
 * In that mode IPs move only in the emulator's records ({@link FlipMover#NONE}). The lab embeds it with its own
 * mover through {@link #start(EmulatorSettings, FlipMover)}.
 */
@Command(name = "do-emulator", mixinStandardHelpOptions = true,
        description = "Serve a local DigitalOcean API v2 (floating/reserved IPs, droplets, actions) and metadata.")
public final class EmulatorMain implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "JSON settings: bind_host, port, metadata_port, token_file, read_only_token_files,"
                    + " tls_keystore, tls_password_file, region, action_delay_ms, ip_pool, droplets.")
    private Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmulatorMain()).execute(args));
    }

    /** Starts an emulator with these settings and mover; the caller closes it. */
    public static DigitalOceanEmulator start(EmulatorSettings settings, FlipMover mover) {
        return settings.toBuilder().flipMover(mover).build();
    }

    @Override
    public Integer call() throws Exception {
        EmulatorSettings settings;
        try {
            settings = EmulatorSettings.load(config);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        DigitalOceanEmulator emulator = start(settings, FlipMover.NONE);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "do-emulator-shutdown"));
        // One line on stdout that a parent process can wait for and parse.
        System.out.println("do-emulator listening " + emulator.baseUrl() + " metadata " + emulator.metadataUrl());
        stopped.await();
        return 0;
    }
}
