package fleet.console.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import fleet.console.image.BuildProgress.Stage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jib's events into per-layer progress. Jib has no public "this layer was uploaded" event,
 * so this reads the texts jib-core 0.28 gives its events (the pom pins that version, and the
 * image tests fail if the texts change):
 * <ul>
 *   <li>log "Building NAME layer built DIGEST": a spec layer's digest, when Jib packs it (one
 *       unchanged since the last build comes from Jib's cache without a word, and the builder knows
 *       its digest from the {@link LayerIndex}: {@link #packedEarlier});</li>
 *   <li>progress "checking base image layer DIGEST" / "pulling base image layer DIGEST": a base
 *       layer (every other blob is one of ours);</li>
 *   <li>progress "pushing blob DIGEST" (allocation = size), under "pushing container configuration"
 *       for the image configuration;</li>
 *   <li>timer lap "pushBlob PATCH DIGEST": bytes are really being sent (a cross-repository mount or
 *       an existing blob never gets there);</li>
 *   <li>log "Skipping push; BLOB already exists on target registry : digest: D, size: N", and
 *       "Skipping pull; ..." for base layers the target registry has;</li>
 *   <li>timer "Pushing BLOB digest: D, size: N" finished: the blob is settled.</li>
 * </ul>
 * Jib calls handlers from its worker threads, so every method is synchronized.
 */
final class JibProgress {

    private static final String DIGEST = "(sha256:[0-9a-f]{64})";
    private static final Pattern BUILDING = Pattern.compile("building (.+) layer");
    private static final Pattern BUILT = Pattern.compile("Building (.+) layer built " + DIGEST);
    private static final Pattern CHECKING_BASE = Pattern.compile("checking base image layer " + DIGEST);
    private static final Pattern PULLING_BASE = Pattern.compile("pulling base image layer " + DIGEST);
    private static final Pattern PUSHING = Pattern.compile("pushing blob " + DIGEST);
    private static final Pattern UPLOAD = Pattern.compile("pushBlob PATCH " + DIGEST);
    private static final Pattern PUSH_SKIPPED = Pattern.compile(
            "Skipping push; BLOB already exists on target registry : digest: " + DIGEST + ", size: (\\d+)");
    private static final Pattern PULL_SKIPPED = Pattern.compile(
            "Skipping pull; BLOB already exists on target registry : digest: " + DIGEST + ", size: (\\d+)");
    private static final Pattern BLOB_DONE = Pattern.compile("Pushing BLOB digest: " + DIGEST + ", size: (\\d+)");
    private static final String CONFIGURATION = "pushing container configuration";

    /** A row under construction. */
    private static final class Row {
        final String name;
        final boolean base;
        String digest = "";
        long size;
        long units;
        boolean uploading;
        LayerState state = LayerState.WAITING;

        Row(String name, boolean base) {
            this.name = name;
            this.base = base;
        }

        LayerProgress snapshot() {
            long sent = state == LayerState.PUSHED ? size : uploading ? Math.min(units, size) : 0;
            return new LayerProgress(name, base, digest, size, sent, state);
        }
    }

    private final ProgressThrottle throttle;
    private final Clock clock;
    private final Map<String, Row> layers = new LinkedHashMap<>();
    private final Map<String, Row> baseLayers = new LinkedHashMap<>();
    private final Map<String, Row> byDigest = new LinkedHashMap<>();
    private final Row configuration = new Row("image configuration", false);
    private String configurationDigest = "";
    private Stage stage = Stage.PREPARING;

    JibProgress(List<String> layerNames, ProgressThrottle throttle, Clock clock) {
        this.throttle = throttle;
        this.clock = clock;
        for (String name : layerNames) {
            layers.put(name, new Row(name, false));
        }
    }

    /** A layer Jib will take from its cache, as packed by an earlier build. */
    synchronized void packedEarlier(String name, String digest, long size) {
        Row row = layers.computeIfAbsent(name, n -> new Row(n, false));
        row.digest = digest;
        row.size = size;
        row.state = LayerState.BUILT;
        byDigest.put(digest, row);
    }

    synchronized void stage(Stage next) {
        stage = next;
        throttle.force(snapshot());
    }

    synchronized void log(LogEvent event) {
        String message = event.getMessage();
        Matcher m;
        if ((m = BUILT.matcher(message)).matches()) {
            Row row = layers.computeIfAbsent(m.group(1), name -> new Row(name, false));
            row.digest = m.group(2);
            row.state = LayerState.BUILT;
            byDigest.put(row.digest, row);
        } else if ((m = PUSH_SKIPPED.matcher(message)).matches()) {
            Row row = blob(m.group(1));
            row.size = Long.parseLong(m.group(2));
            row.state = LayerState.IN_REGISTRY;
        } else if ((m = PULL_SKIPPED.matcher(message)).matches()) {
            Row row = baseBlob(m.group(1));
            row.size = Long.parseLong(m.group(2));
            row.state = LayerState.IN_REGISTRY;
        } else {
            return;
        }
        throttle.offer(snapshot());
    }

    synchronized void progress(ProgressEvent event) {
        String description = event.getAllocation().getDescription();
        Matcher m;
        if ((m = BUILDING.matcher(description)).matches()) {
            Row row = layers.get(m.group(1));
            if (row == null || row.state != LayerState.WAITING) {
                return;
            }
            row.state = LayerState.BUILDING;
        } else if ((m = CHECKING_BASE.matcher(description)).matches()) {
            Row row = baseBlob(m.group(1));
            if (row.state == LayerState.WAITING) {
                row.state = LayerState.CHECKING;
            }
        } else if ((m = PULLING_BASE.matcher(description)).matches()) {
            Row row = baseBlob(m.group(1));
            row.size = event.getAllocation().getAllocationUnits();
            if (!row.state.done()) {
                row.state = LayerState.PULLING;
            }
        } else if ((m = PUSHING.matcher(description)).matches()) {
            boolean isConfiguration = event.getAllocation().getParent()
                    .map(parent -> CONFIGURATION.equals(parent.getDescription())).orElse(false);
            Row row;
            if (isConfiguration) {
                configurationDigest = m.group(1);
                row = configuration;
            } else {
                row = blob(m.group(1));
            }
            row.size = event.getAllocation().getAllocationUnits();
            row.units += event.getUnits();
            if (!row.state.done() && !row.uploading) {
                row.state = LayerState.CHECKING;
            }
        } else {
            return;
        }
        throttle.offer(snapshot());
    }

    synchronized void timer(TimerEvent event) {
        String description = event.getDescription();
        Matcher m;
        if (event.getState() == TimerEvent.State.LAP && (m = UPLOAD.matcher(description)).matches()) {
            Row row = rowFor(m.group(1));
            row.uploading = true;
            row.state = LayerState.UPLOADING;
        } else if (event.getState() == TimerEvent.State.FINISHED && (m = BLOB_DONE.matcher(description)).matches()) {
            Row row = rowFor(m.group(1));
            row.size = Long.parseLong(m.group(2));
            if (row.uploading) {
                row.state = LayerState.PUSHED;
            } else if (row.state != LayerState.IN_REGISTRY) {
                row.state = LayerState.MOUNTED;
            }
        } else {
            return;
        }
        throttle.offer(snapshot());
    }

    synchronized List<LayerProgress> layers() {
        List<LayerProgress> all = new ArrayList<>();
        baseLayers.values().forEach(row -> all.add(row.snapshot()));
        layers.values().forEach(row -> all.add(row.snapshot()));
        return all;
    }

    /** Bytes that went over the wire: uploaded layers and the image configuration. */
    synchronized long bytesPushed() {
        long total = configuration.snapshot().bytesSent();
        for (Row row : byDigest.values()) {
            total += row.snapshot().bytesSent();
        }
        return total;
    }

    synchronized BuildProgress snapshot() {
        return new BuildProgress(stage, layers(), bytesPushed(), clock.instant());
    }

    private Row rowFor(String digest) {
        return digest.equals(configurationDigest) ? configuration : blob(digest);
    }

    /** The row of a base layer, made when Jib first names it. */
    private Row baseBlob(String digest) {
        Row row = byDigest.get(digest);
        if (row == null) {
            row = new Row("base " + shortDigest(digest), true);
            row.digest = digest;
            byDigest.put(digest, row);
            baseLayers.put(digest, row);
        }
        return row;
    }

    /**
     * The row of a blob Jib pushes: a base layer or a spec layer known by its digest; one known
     * by neither (which Jib's texts changing would cause) still shows, by its digest.
     */
    private Row blob(String digest) {
        Row row = byDigest.get(digest);
        if (row == null) {
            row = new Row("layer " + shortDigest(digest), false);
            row.digest = digest;
            byDigest.put(digest, row);
            layers.put(row.name, row);
        }
        return row;
    }

    private static String shortDigest(String digest) {
        return digest.substring(0, Math.min(digest.length(), 19));
    }
}
