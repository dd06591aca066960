package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Jib's events, as jib-core 0.28 words them, read into per-layer states: what was sent is told
 * apart from what the registry had or linked from the base, so bytes pushed are the bytes sent.
 */
class JibProgressTest {

    private static final String SRC = "sha256:" + "a".repeat(64);
    private static final String SERVICE = "sha256:" + "b".repeat(64);
    private static final String BASE = "sha256:" + "c".repeat(64);
    private static final String CONFIG = "sha256:" + "d".repeat(64);

    private final Allocation root = Allocation.newRoot("building images to registry", 10);
    private final Allocation pushers = root.newChild("launching layer pushers", 3);
    private final JibProgress progress = new JibProgress(List.of("src", "service"),
            new ProgressThrottle(p -> { }, Clock.systemUTC(), Duration.ofHours(1)), Clock.systemUTC());

    private void push(String digest, long size, boolean upload, Allocation parent) {
        Allocation blob = parent.newChild("pushing blob " + digest, size);
        progress.progress(new ProgressEvent(blob, 0));
        timer(TimerEvent.State.START, "Pushing BLOB digest: " + digest + ", size: " + size);
        if (upload) {
            timer(TimerEvent.State.LAP, "pushBlob PATCH " + digest);
            progress.progress(new ProgressEvent(blob, size / 2));
            progress.progress(new ProgressEvent(blob, size - size / 2));
        }
        timer(TimerEvent.State.FINISHED, "Pushing BLOB digest: " + digest + ", size: " + size);
        if (!upload) {
            progress.progress(new ProgressEvent(blob, size));
        }
    }

    private void timer(TimerEvent.State state, String description) {
        progress.timer(new TimerEvent(state, Optional::empty, Duration.ZERO, Duration.ZERO, description));
    }

    private LayerProgress layer(String name) {
        return progress.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anUploadedLayerCountsItsBytesAndOneTheRegistryHadCountsNone() {
        progress.log(LogEvent.debug("Building src layer built " + SRC));
        progress.log(LogEvent.debug("Building service layer built " + SERVICE));
        progress.log(LogEvent.info("Skipping push; BLOB already exists on target registry : digest: " + SRC + ", size: 4000"));
        push(SRC, 4000, false, pushers);
        push(SERVICE, 300, true, pushers);

        assertEquals(LayerState.IN_REGISTRY, layer("src").state());
        assertEquals(0, layer("src").bytesSent());
        assertEquals(LayerState.PUSHED, layer("service").state());
        assertEquals(300, layer("service").bytesSent());
        assertEquals(SERVICE, layer("service").digest());
        assertEquals(300, progress.bytesPushed());
    }

    @Test
    void aBaseLayerLinkedFromTheBaseRepositoryIsMountedNotSent() {
        progress.progress(new ProgressEvent(root.newChild("checking base image layer " + BASE, 1), 0));
        push(BASE, 5_000_000, false, pushers);

        LayerProgress base = progress.layers().get(0);
        assertEquals(true, base.base());
        assertEquals(LayerState.MOUNTED, base.state());
        assertEquals(0, progress.bytesPushed());
    }

    @Test
    void aBaseLayerTheTargetRegistryHasIsNotPulledOrSent() {
        progress.progress(new ProgressEvent(root.newChild("checking base image layer " + BASE, 1), 0));
        progress.log(LogEvent.info("Skipping pull; BLOB already exists on target registry : digest: " + BASE + ", size: 449"));

        assertEquals(LayerState.IN_REGISTRY, progress.layers().get(0).state());
        assertEquals(449, progress.layers().get(0).size());
    }

    @Test
    void theImageConfigurationCountsInBytesPushedButIsNoLayer() {
        Allocation configuration = root.newChild("pushing container configuration", 1);
        push(CONFIG, 735, true, configuration);

        assertEquals(735, progress.bytesPushed());
        assertEquals(List.of("src", "service"), progress.layers().stream().map(LayerProgress::name).toList());
    }

    @Test
    void anUploadUnderWayShowsTheBytesSentSoFar() {
        progress.log(LogEvent.debug("Building service layer built " + SERVICE));
        Allocation blob = pushers.newChild("pushing blob " + SERVICE, 1000);
        progress.progress(new ProgressEvent(blob, 0));
        timer(TimerEvent.State.LAP, "pushBlob PATCH " + SERVICE);
        progress.progress(new ProgressEvent(blob, 400));

        assertEquals(LayerState.UPLOADING, layer("service").state());
        assertEquals(400, layer("service").bytesSent());
        assertEquals(1000, layer("service").size());
    }
}
