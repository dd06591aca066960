package fleet.console.ui;

import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits in a window test until a condition about the scene holds. TestFX's lookups walk the scene graph
 * from the test thread while the FX thread may be changing it: a walk that meets a list being replaced
 * throws ({@code IndexOutOfBoundsException} out of {@code Parent.lookupAll}, clean-clone run cc29). Such a
 * throw means "not yet": the condition is asked again. A condition that never holds ends in a timeout that
 * carries its last throw, so a lookup that is wrong every time still says why.
 */
public final class SceneWait {

    private SceneWait() {
    }

    /** Until {@code condition} holds (within {@code seconds}), then until the FX events it caused are done. */
    public static void until(int seconds, Callable<Boolean> condition) throws Exception {
        RuntimeException[] last = new RuntimeException[1];
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
                try {
                    return condition.call();
                } catch (RuntimeException e) {
                    last[0] = e;
                    return false;
                }
            });
        } catch (TimeoutException e) {
            if (last[0] != null) {
                e.initCause(last[0]);
            }
            throw e;
        }
        WaitForAsyncUtils.waitForFxEvents();
    }
}
