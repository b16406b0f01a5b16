package dev.pgflip.lab.drill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SteadyLoadTest {
    @Test
    void readsTheAggregateCpuLine() {
        assertArrayEquals(new long[] {10, 1, 20, 300, 5, 0, 2, 0},
                SteadyLoad.parse("cpu  10 1 20 300 5 0 2 0 0 0"));
        assertNull(SteadyLoad.parse("cpu0 10 1 20 300 5 0 2 0 0 0"), "a per-CPU line is not the aggregate");
        assertNull(SteadyLoad.parse("intr 1 2"));
    }

    @Test
    void idleAndIowaitCountAsSpareCpu() {
        long[] before = {100, 0, 100, 1000, 10, 0, 0, 0};
        long[] after = {160, 0, 130, 1090, 30, 0, 0, 0};
        // 200 ticks went by: 90 busy (60 user + 30 system), 90 idle and 20 iowait.
        double idle = SteadyLoad.idleShare(before, after).orElseThrow();
        assertEquals(110.0 / 200, idle, 1e-9);
    }

    @Test
    void noTimePassedIsNoFigure() {
        long[] same = {1, 2, 3, 4, 5, 6, 7, 8};
        assertTrue(SteadyLoad.idleShare(same, same).isEmpty());
    }

    @Test
    void describesTheWait() {
        assertEquals("steady after 1500 ms (55 % idle)",
                new SteadyLoad.Settled(1500, java.util.OptionalDouble.of(0.55), true).describe());
        assertEquals("not steady after 15000 ms (CPU unknown)",
                new SteadyLoad.Settled(15000, java.util.OptionalDouble.empty(), false).describe());
    }
}
