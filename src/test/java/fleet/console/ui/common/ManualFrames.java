package fleet.console.ui.common;

/** Frames a test advances by hand: what a pulse does, without a screen. */
public final class ManualFrames implements FrameBatcher.Frames {

    private Runnable tick;
    private boolean running;
    private int starts;

    @Override
    public synchronized void start(Runnable tick) {
        this.tick = tick;
        running = true;
        starts++;
    }

    @Override
    public synchronized void stop() {
        running = false;
    }

    /** One frame; false when no frame was asked for. */
    public boolean frame() {
        Runnable t;
        synchronized (this) {
            if (!running) {
                return false;
            }
            t = tick;
        }
        t.run();
        return true;
    }

    /** Frames until none is asked for any more; how many ran. */
    public int drain() {
        int n = 0;
        while (frame()) {
            n++;
        }
        return n;
    }

    public synchronized boolean running() {
        return running;
    }

    public synchronized int starts() {
        return starts;
    }
}
