package fleet.console.sandbox.api;

import fleet.console.sandbox.kubelet.Kubelet;

import java.time.Clock;

/** The routes the sandbox adds in front of the emulator. */
public final class SandboxRoutes {

    private SandboxRoutes() {
    }

    /** The log route, and how to cut its open follow streams. */
    public static LogRoute logs(SandboxApiServer api, Kubelet kubelet) {
        return new LogRoute(new PodLogRoute(new EmulatorAccess(api.emulator()), kubelet));
    }

    /** The log route as the sandbox holds it. */
    public record LogRoute(SandboxApiServer.Route route, java.util.function.Consumer<Boolean> cut) {
        LogRoute(PodLogRoute logs) {
            this(logs, logs::cutFollowers);
        }
    }

    public static SandboxApiServer.Route portForward(SandboxApiServer api, PortForwardRoute.PodPorts ports) {
        return new PortForwardRoute(new EmulatorAccess(api.emulator()), api.vertx(), ports);
    }

    public static SandboxApiServer.Route exec(SandboxApiServer api, Kubelet kubelet) {
        return new ExecRoute(new EmulatorAccess(api.emulator()), kubelet);
    }

    public static SandboxApiServer.Route gracefulDeletion(SandboxApiServer api, Clock clock) {
        return new GracefulDeletionRoute(new EmulatorAccess(api.emulator()), clock);
    }

    /** Authorization for the sandbox's users: asked before every other route. */
    public static SandboxApiServer.Route access() {
        return new AccessRoute();
    }
}
