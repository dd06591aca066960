package fleet.console.sandbox.api;

import fleet.console.sandbox.kubelet.ContainerView;
import fleet.console.sandbox.kubelet.Kubelet;
import fleet.console.sandbox.kubelet.LogStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/namespaces/{ns}/pods/{pod}/log}, served from what the simulated containers wrote,
 * with the kubelet's options ({@code container, previous, tailLines, sinceTime, sinceSeconds,
 * timestamps, limitBytes, follow}) and its error texts. A follow request stays open and receives each
 * new line as it is written, until the container's run ends or the client goes away.
 */
final class PodLogRoute implements SandboxApiServer.Route {

    private static final Pattern PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$");

    private final EmulatorAccess store;
    private final Kubelet kubelet;
    /** Open follow streams, so that a fault can cut them as an API server timeout or a network blip would. */
    private final java.util.Set<HttpServerRequest> following = java.util.concurrent.ConcurrentHashMap.newKeySet();

    PodLogRoute(EmulatorAccess store, Kubelet kubelet) {
        this.store = store;
        this.kubelet = kubelet;
    }

    @Override
    public boolean handle(HttpServerRequest request, Buffer body) {
        if (request.method() != HttpMethod.GET) {
            return false;
        }
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            return false;
        }
        serve(request, m.group(1), m.group(2));
        return true;
    }

    private void serve(HttpServerRequest request, String namespace, String podName) {
        HttpServerResponse out = request.response();
        Optional<Pod> found = store.get("/api/v1/namespaces/" + namespace + "/pods/" + podName, Pod.class);
        if (found.isEmpty()) {
            SandboxApiServer.status(out, 404, "NotFound", "pods \"" + podName + "\" not found");
            return;
        }
        Pod pod = found.get();
        List<String> names = pod.getSpec().getContainers().stream().map(Container::getName).toList();
        String asked = request.getParam("container");
        if (asked == null || asked.isEmpty()) {
            if (names.size() != 1) {
                SandboxApiServer.status(out, 400, "BadRequest", "a container name must be specified for pod " + podName
                        + ", choose one of: [" + String.join(" ", names) + "]");
                return;
            }
            asked = names.get(0);
        } else if (!names.contains(asked)) {
            SandboxApiServer.status(out, 400, "BadRequest", "container " + asked + " is not valid for pod " + podName);
            return;
        }
        final String container = asked;
        boolean previous = flag(request, "previous");
        Optional<ContainerView> view = kubelet.view(namespace, podName);
        String waiting = view.map(v -> v.waitingReason(container)).orElse("ContainerCreating");
        Optional<LogStore.ContainerLog> log = kubelet.logs().find(namespace, podName, container);
        Optional<LogStore.Run> run = log.flatMap(previous ? LogStore.ContainerLog::previous : LogStore.ContainerLog::current);
        if (run.isEmpty()) {
            if (previous) {
                SandboxApiServer.status(out, 400, "BadRequest",
                        "previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found");
            } else {
                String why = "ErrImagePull".equals(waiting) || "ImagePullBackOff".equals(waiting)
                        ? "trying and failing to pull image" : waiting;
                SandboxApiServer.status(out, 400, "BadRequest",
                        "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: " + why);
            }
            return;
        }
        Options options;
        try {
            options = Options.of(request);
        } catch (IllegalArgumentException e) {
            SandboxApiServer.status(out, 400, "BadRequest", e.getMessage());
            return;
        }
        out.putHeader("Content-Type", "text/plain");
        if (options.follow && !previous) {
            follow(request, out, run.get(), options);
        } else {
            out.end(render(options.select(run.get().snapshot()), options));
        }
    }

    /**
     * Ends every open follow stream: {@code abrupt} drops the connection (a network blip), otherwise the
     * stream ends cleanly (the API server's own timeout). Either way the container keeps running.
     */
    void cutFollowers(boolean abrupt) {
        for (HttpServerRequest request : List.copyOf(following)) {
            following.remove(request);
            if (abrupt) {
                request.connection().close();
            } else if (!request.response().ended() && !request.response().closed()) {
                request.response().end();
            }
        }
    }

    private void follow(HttpServerRequest request, HttpServerResponse out, LogStore.Run run, Options options) {
        following.add(request);
        out.endHandler(v -> following.remove(request));
        out.setChunked(true);
        final long[] budget = {options.limitBytes};
        LogStore.Follower follower = new LogStore.Follower() {
            @Override
            public void line(LogStore.Line line) {
                write(out, render(List.of(line), options), budget, run, this);
            }

            @Override
            public void ended() {
                if (!out.ended() && !out.closed()) {
                    out.end();
                }
            }
        };
        List<LogStore.Line> backlog = run.follow(follower);
        out.closeHandler(v -> {
            run.unfollow(follower);
            following.remove(request);
        });
        request.connection().closeHandler(v -> {
            run.unfollow(follower);
            following.remove(request);
        });
        write(out, render(options.select(backlog), options), budget, run, follower);
        if (run.isEnded() && !out.ended()) {
            out.end();
        }
    }

    private static void write(HttpServerResponse out, String text, long[] budget, LogStore.Run run, LogStore.Follower follower) {
        if (text.isEmpty() || out.ended() || out.closed()) {
            return;
        }
        String chunk = text;
        if (budget[0] >= 0) {
            if (budget[0] == 0) {
                return;
            }
            if (chunk.length() > budget[0]) {
                chunk = chunk.substring(0, (int) budget[0]);
            }
            budget[0] -= chunk.length();
        }
        out.write(chunk);
        if (budget[0] == 0) {
            run.unfollow(follower);
            out.end();
        }
    }

    private static String render(List<LogStore.Line> lines, Options options) {
        StringBuilder out = new StringBuilder();
        for (LogStore.Line line : lines) {
            if (options.timestamps) {
                out.append(line.time()).append(' ');
            }
            out.append(line.text()).append('\n');
        }
        return out.toString();
    }

    private static boolean flag(HttpServerRequest request, String name) {
        String v = request.getParam(name);
        return v != null && (v.isEmpty() || "true".equalsIgnoreCase(v) || "1".equals(v));
    }

    /** The kubelet's log options. */
    private record Options(boolean follow, boolean timestamps, long tailLines, Instant since, long limitBytes) {

        static Options of(HttpServerRequest request) {
            long tail = number(request, "tailLines", -1);
            Instant since = null;
            String sinceTime = request.getParam("sinceTime");
            if (sinceTime != null && !sinceTime.isEmpty()) {
                try {
                    since = Instant.parse(sinceTime);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("sinceTime must be an RFC3339 time, not '" + sinceTime + "'");
                }
            }
            long sinceSeconds = number(request, "sinceSeconds", -1);
            if (sinceSeconds >= 0) {
                since = Instant.now().minus(Duration.ofSeconds(sinceSeconds));
            }
            return new Options(flag(request, "follow"), flag(request, "timestamps"), tail, since,
                    number(request, "limitBytes", -1));
        }

        private static long number(HttpServerRequest request, String name, long absent) {
            String v = request.getParam(name);
            if (v == null || v.isEmpty()) {
                return absent;
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, not '" + v + "'");
            }
        }

        List<LogStore.Line> select(List<LogStore.Line> lines) {
            List<LogStore.Line> chosen = since == null ? lines : lines.stream().filter(l -> !l.time().isBefore(since)).toList();
            if (tailLines >= 0 && chosen.size() > tailLines) {
                chosen = chosen.subList(chosen.size() - (int) tailLines, chosen.size());
            }
            return chosen;
        }
    }
}
