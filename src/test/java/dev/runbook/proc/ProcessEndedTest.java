package dev.runbook.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A process that ended but was not reaped (a zombie) counts as ended, so that stopping a step's
 * or a controller's processes does not wait out its grace time for processes already gone.
 */
@EnabledOnOs(OS.LINUX)
class ProcessEndedTest {
    @Test
    void aZombieHasEndedThoughTheJdkCallsItAlive() throws Exception {
        // `true` ends at once; its parent then becomes `sleep`, which never reaps it.
        Process parent = new ProcessBuilder("/bin/sh", "-c", "true & exec sleep 5").start();
        try {
            ProcessHandle zombie = null;
            for (int i = 0; i < 200 && zombie == null; i++) {
                List<ProcessHandle> children = parent.toHandle().children().toList();
                if (!children.isEmpty() && ProcessTree.ended(children.get(0))) {
                    zombie = children.get(0);
                } else {
                    Thread.sleep(10);
                }
            }
            assertThat(zombie).as("a zombie child of the sleeping parent").isNotNull();
            assertThat(zombie.isAlive()).as("what the JDK says of it").isTrue();
            assertThat(ProcessTree.ended(zombie)).isTrue();
            assertThat(ProcessTree.ended(parent.toHandle())).as("the running parent").isFalse();
        } finally {
            parent.destroyForcibly();
            parent.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
