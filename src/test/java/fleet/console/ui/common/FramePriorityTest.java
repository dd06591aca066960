package fleet.console.ui.common;

import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The screen goes first: a thread feeding it waits while the FX thread is in a frame, goes on as soon as
 * that pulse is over, and never waits for a frame that hangs longer than its bound.
 */
@ExtendWith(ApplicationExtension.class)
class FramePriorityTest {

    /** Lets the FX thread go when a test ends, whatever happened. */
    private final CountDownLatch pulseOver = new CountDownLatch(1);

    @AfterEach
    void letTheFxThreadGo() {
        pulseOver.countDown();
    }

    @Test
    void aFeedingThreadWaitsWhileTheFrameIsUnderWayAndGoesOnOnceThePulseIsOver() throws Exception {
        Thread before = feeding(60_000);
        assertThat(finishes(before)).as("with no frame under way, nothing waits").isTrue();

        holdAFrame();
        Thread feeder = feeding(60_000);
        assertThat(until(() -> feeder.getState() == Thread.State.TIMED_WAITING))
                .as("the feeding thread waits for the frame").isTrue();
        assertThat(feeder.isAlive()).isTrue();

        pulseOver.countDown();
        assertThat(finishes(feeder)).as("the pulse is over: the feeding thread goes on").isTrue();
        assertThat(until(() -> !FramePriority.frameUnderWay())).isTrue();
    }

    @Test
    void aFrameThatHangsHoldsAFeedingThreadNoLongerThanItsBound() throws Exception {
        holdAFrame();
        Thread feeder = feeding(200);

        assertThat(finishes(feeder)).as("the feeding thread goes on by itself").isTrue();
        assertThat(FramePriority.frameUnderWay()).as("while the frame is still under way").isTrue();
        pulseOver.countDown();
        assertThat(until(() -> !FramePriority.frameUnderWay())).isTrue();
    }

    /** The FX thread starts a frame and stays in it until the test lets it go. */
    private void holdAFrame() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Platform.runLater(() -> {
            FramePriority.frameStarted();
            started.countDown();
            try {
                pulseOver.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(FramePriority.frameUnderWay()).isTrue();
    }

    private static Thread feeding(long maxWaitMillis) {
        Thread t = new Thread(() -> FramePriority.yieldToFrame(maxWaitMillis), "feeding");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static boolean finishes(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(30));
        return !t.isAlive();
    }

    private static boolean until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
