package fleet.console.ui.shell;

import fleet.console.ui.common.Theme;

import java.util.List;
import java.util.Optional;

/**
 * How the shell opens.
 *
 * @param context        a context asked for on the command line ("sandbox" means the embedded
 *                       sandbox unless the kubeconfig has a context of that name)
 * @param namespace      a namespace asked for on the command line
 * @param last           the connection of the previous run, from the settings
 * @param openOnSandbox  open on the embedded sandbox whatever else is said (screenshots, demos)
 * @param notices        things to tell the operator at start (settings reset...)
 * @param defaultNamespace the fleet profile's namespace, used when nothing else names one
 */
public record ShellOptions(Optional<String> context, Optional<String> namespace, Optional<LastConnection> last,
                           boolean openOnSandbox, Theme theme, List<String> notices, String defaultNamespace) {

    public ShellOptions {
        notices = List.copyOf(notices);
    }

    public static ShellOptions defaults() {
        return new ShellOptions(Optional.empty(), Optional.empty(), Optional.empty(), false, Theme.LIGHT, List.of(),
                MainViewModel.DEFAULT_NAMESPACE);
    }

    public ShellOptions withDefaultNamespace(String value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, value);
    }

    public ShellOptions withContext(String value) {
        return new ShellOptions(Optional.of(value), namespace, last, openOnSandbox, theme, notices, defaultNamespace);
    }

    public ShellOptions withNamespace(String value) {
        return new ShellOptions(context, Optional.of(value), last, openOnSandbox, theme, notices, defaultNamespace);
    }

    public ShellOptions withLast(LastConnection value) {
        return new ShellOptions(context, namespace, Optional.ofNullable(value), openOnSandbox, theme, notices, defaultNamespace);
    }

    public ShellOptions onSandbox() {
        return new ShellOptions(context, namespace, last, true, theme, notices, defaultNamespace);
    }

    public ShellOptions withTheme(Theme value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, value, notices, defaultNamespace);
    }

    public ShellOptions withNotices(List<String> value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, value, defaultNamespace);
    }
}
