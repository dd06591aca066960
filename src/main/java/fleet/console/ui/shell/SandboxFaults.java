package fleet.console.ui.shell;

import fleet.console.sandbox.Fault;

import java.util.List;

/**
 * The sandbox's fault switch as the Sandbox menu needs it: the troubleshooting cases of the runbook,
 * made to happen on demand. Called off the FX thread.
 */
public interface SandboxFaults {

    void inject(Fault fault);

    void clear(Fault fault);

    List<Fault> activeFaults();
}
