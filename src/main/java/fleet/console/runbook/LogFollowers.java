package fleet.console.runbook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.LogWatch;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the log of each running pod a check looks at, so the check wakes when a line arrives (the
 * pod's status does not change when it writes). Closed with the check.
 */
final class LogFollowers implements AutoCloseable {

    private final RunContext run;
    private final Map<String, StringBuffer> text = new ConcurrentHashMap<>();
    private final Map<String, LogWatch> watches = new ConcurrentHashMap<>();
    private volatile Runnable wake = () -> { };

    LogFollowers(RunContext run) {
        this.run = run;
    }

    void wakeWith(Runnable wakeUp) {
        this.wake = wakeUp;
    }

    /** What the pod's current container wrote so far; starts following it the first time it runs. */
    String of(Pod pod) {
        String uid = pod.getMetadata().getUid();
        boolean running = pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
        if (running && !watches.containsKey(uid)) {
            StringBuffer buffer = text.computeIfAbsent(uid, k -> new StringBuffer());
            try {
                watches.put(uid, run.client().pods().inNamespace(run.namespace()).withName(pod.getMetadata().getName())
                        .watchLog(new OutputStream() {
                            @Override
                            public void write(int b) {
                                write(new byte[] {(byte) b}, 0, 1);
                            }

                            @Override
                            public void write(byte[] b, int off, int len) {
                                buffer.append(new String(b, off, len, StandardCharsets.UTF_8));
                                wake.run();
                            }
                        }));
            } catch (RuntimeException e) {
                // The container is between runs; the next status change tries again.
            }
        }
        StringBuffer buffer = text.get(uid);
        return buffer == null ? "" : buffer.toString();
    }

    @Override
    public void close() {
        watches.values().forEach(LogWatch::close);
        watches.clear();
    }
}
