package dev.pgflip.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that runs on one lab of its own: up before its first test (holding the machine's lab lock), down after
 * its last. A subclass's own {@code @BeforeAll} runs after the lab is up, its {@code @AfterAll} before it goes down.
 * Classes run one at a time, so the one field serves them all.
 */
public abstract class OnTheLab {
    protected static LabFixture lab;

    @BeforeAll
    static void bringTheLabUp() throws Exception {
        lab = LabFixture.up();
    }

    @AfterAll
    static void takeTheLabDown() throws Exception {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }
}
