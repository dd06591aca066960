package fleet.console.sandbox.api;

import fleet.console.sandbox.kubelet.Kubelet;

import java.time.Clock;

/** The routes the sandbox adds in front of the emulator. */
public final class SandboxRoutes {

    private SandboxRoutes() {
    }

    public static SandboxApiServer.Route logs(SandboxApiServer api, Kubelet kubelet) {
        return new PodLogRoute(new EmulatorAccess(api.emulator()), kubelet);
    }

    public static SandboxApiServer.Route portForward(SandboxApiServer api, PortForwardRoute.PodPorts ports) {
        return new PortForwardRoute(new EmulatorAccess(api.emulator()), api.vertx(), ports);
    }

    public static SandboxApiServer.Route gracefulDeletion(SandboxApiServer api, Clock clock) {
        return new GracefulDeletionRoute(new EmulatorAccess(api.emulator()), clock);
    }
}
