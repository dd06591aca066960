package fleet.console.ui.common;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DebouncerTest {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void signalsWithinTheQuietPeriodBecomeOneRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Debouncer debouncer = new Debouncer(scheduler, Duration.ofMillis(200), runs::incrementAndGet);

        for (int i = 0; i < 100; i++) {
            debouncer.signal();
        }
        WaitForAsyncUtils.waitFor(2, TimeUnit.SECONDS, () -> runs.get() == 1);

        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aSignalDuringARunCausesExactlyOneMoreRunAndRunsNeverOverlap() throws Exception {
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstRun = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Debouncer debouncer = new Debouncer(scheduler, Duration.ofMillis(10), () -> {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            if (runs.incrementAndGet() == 1) {
                firstRunStarted.countDown();
                try {
                    releaseFirstRun.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            running.decrementAndGet();
        });

        debouncer.signal();
        assertThat(firstRunStarted.await(2, TimeUnit.SECONDS)).isTrue();
        debouncer.signal();
        debouncer.signal();
        releaseFirstRun.countDown();
        WaitForAsyncUtils.waitFor(2, TimeUnit.SECONDS, () -> runs.get() == 2 && running.get() == 0);

        assertThat(overlaps.get()).isZero();
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void nothingRunsAfterStop() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Debouncer debouncer = new Debouncer(scheduler, Duration.ofMillis(50), runs::incrementAndGet);

        debouncer.signal();
        debouncer.stop();
        // The run would have happened within the quiet period; the scheduler's queue proves it did not.
        scheduler.shutdown();
        assertThat(scheduler.awaitTermination(2, TimeUnit.SECONDS)).isTrue();

        assertThat(runs.get()).isZero();
    }
}
