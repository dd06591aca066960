package fleet.console.app;

import fleet.console.sandbox.Fault;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the console was asked to start (the command line, parsed by the Launcher).
 *
 * @param kubeconfig a kubeconfig other than the default ({@code KUBECONFIG}, else ~/.kube/config)
 * @param context    the context to open; "sandbox" is the embedded sandbox unless the kubeconfig has a
 *                   context of that name
 * @param namespace  the namespace to open, else the last used, else swe-ai-fleet
 * @param screenshot open on the sandbox, write a picture of the window to this PNG once it shows live
 *                   data, and exit
 * @param faults     faults the sandbox injects once the fleet is up
 * @param profile    a fleet profile other than the user's (~/.config/fleet-console/profile.yaml) or the built-in one
 * @param checkStart open the window on the sandbox, say "ready" once it shows the fleet, and exit (the
 *                   installers' smoke test; headless when there is no display)
 * @param readOnly   open in read-only mode: every change is disabled and the client sends none
 */
public record ConsoleStart(Optional<Path> kubeconfig, Optional<String> context, Optional<String> namespace,
                           Optional<Path> screenshot, List<Fault> faults, Optional<Path> profile, boolean checkStart,
                           boolean readOnly) {

    public ConsoleStart {
        faults = List.copyOf(faults);
    }

    /** No options: the default kubeconfig, the last connection or the sandbox. */
    public static ConsoleStart defaults() {
        return new ConsoleStart(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), false, false);
    }

    public ConsoleStart withScreenshot(Path file) {
        return new ConsoleStart(kubeconfig, context, namespace, Optional.of(file), faults, profile, checkStart, readOnly);
    }

    public ConsoleStart withCheckStart() {
        return new ConsoleStart(kubeconfig, context, namespace, screenshot, faults, profile, true, readOnly);
    }

    public ConsoleStart withKubeconfig(Path file) {
        return new ConsoleStart(Optional.of(file), context, namespace, screenshot, faults, profile, checkStart, readOnly);
    }

    /**
     * Asked to open on something in particular (a context, a fault, a picture, a start check): the
     * operator knows what they want, so no first-run welcome stands in the way.
     */
    public boolean saysWhereToOpen() {
        return context.isPresent() || !faults.isEmpty() || screenshot.isPresent() || checkStart;
    }

    /** Runs that look and leave (a picture, a start check) keep the operator's settings as they were. */
    public boolean leavesSettingsAlone() {
        return screenshot.isPresent() || checkStart;
    }
}
