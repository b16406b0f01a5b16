package dev.pgflip.lab.emulator;

import java.util.Optional;

/** What a running action is about to do, resolved to droplets so the {@link FlipMover} needs no lookups. */
record PendingMove(ActionRecord action, Optional<EmulatedDroplet> from, Optional<EmulatedDroplet> to) {}
