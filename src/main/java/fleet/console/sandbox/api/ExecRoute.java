package fleet.console.sandbox.api;

import fleet.console.sandbox.kubelet.ExecResult;
import fleet.console.sandbox.kubelet.Kubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pods/{pod}/exec}: a command run in a sandbox container, answered by the container's program
 * ({@link fleet.console.sandbox.kubelet.ContainerProgram#exec}). Speaks the Kubernetes channel protocol
 * as the API server relays it: binary frames of one channel byte (1 stdout, 2 stderr, 3 status) and a
 * payload, the status a {@code v1.Status} whose failure names the exit code, then a normal close.
 */
final class ExecRoute implements SandboxApiServer.Route {

    private static final Pattern PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec$");

    private final EmulatorAccess store;
    private final Kubelet kubelet;

    ExecRoute(EmulatorAccess store, Kubelet kubelet) {
        this.store = store;
        this.kubelet = kubelet;
    }

    @Override
    public boolean handle(HttpServerRequest request, Buffer body) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            return false;
        }
        SandboxApiServer.status(request.response(), 400, "BadRequest", "Upgrade request required");
        return true;
    }

    @Override
    public boolean handleUpgrade(HttpServerRequest request) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            return false;
        }
        String namespace = m.group(1);
        String pod = m.group(2);
        List<String> command = request.params().getAll("command");
        String container = request.getParam("container");
        boolean stdout = !"false".equals(request.getParam("stdout"));
        boolean stderr = !"false".equals(request.getParam("stderr"));
        if (store.get("/api/v1/namespaces/" + namespace + "/pods/" + pod, Pod.class).isEmpty()) {
            request.resume();
            SandboxApiServer.status(request.response(), 404, "NotFound", "pods \"" + pod + "\" not found");
            return true;
        }
        if (command.isEmpty()) {
            request.resume();
            SandboxApiServer.status(request.response(), 400, "BadRequest", "you must specify at least one command for the container");
            return true;
        }
        request.toWebSocket().onSuccess(ws -> kubelet.exec(namespace, pod, container, command).whenComplete((result, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                send(ws, 3, statusFailure("InternalError", cause.getMessage(), null));
            } else {
                if (stdout && !result.stdout().isEmpty()) {
                    send(ws, 1, result.stdout());
                }
                if (stderr && !result.stderr().isEmpty()) {
                    send(ws, 2, result.stderr());
                }
                send(ws, 3, result.exitCode() == 0
                        ? "{\"metadata\":{},\"status\":\"Success\"}"
                        : statusFailure("NonZeroExitCode", "command terminated with non-zero exit code: error executing command "
                        + command + ", exit code " + result.exitCode(), result.exitCode()));
            }
            ws.close((short) 1000);
        })).onFailure(e -> {
            if (!request.response().headWritten()) {
                SandboxApiServer.status(request.response(), 400, "BadRequest", "exec upgrade failed: " + e.getMessage());
            }
        });
        return true;
    }

    private static void send(ServerWebSocket ws, int channel, String text) {
        Buffer frame = Buffer.buffer().appendByte((byte) channel).appendBytes(text.getBytes(StandardCharsets.UTF_8));
        ws.writeBinaryMessage(frame);
    }

    private static String statusFailure(String reason, String message, Integer exitCode) {
        String details = exitCode == null ? ""
                : ",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + exitCode + "\"}]}";
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + json(message) + "\",\"reason\":\"" + reason + "\"" + details + "}";
    }

    private static String json(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
