package fleet.console.ui.shell;

import fleet.console.ui.common.Theme;
import fleet.console.ui.logs.LogBuffer;

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
 * @param logBufferLines lines each log view holds before it evicts the oldest (from the settings)
 */
public record ShellOptions(Optional<String> context, Optional<String> namespace, Optional<LastConnection> last,
                           boolean openOnSandbox, Theme theme, List<String> notices, String defaultNamespace,
                           int logBufferLines) {

    public ShellOptions {
        notices = List.copyOf(notices);
    }

    public static ShellOptions defaults() {
        return new ShellOptions(Optional.empty(), Optional.empty(), Optional.empty(), false, Theme.LIGHT, List.of(),
                MainViewModel.DEFAULT_NAMESPACE, LogBuffer.DEFAULT_CAPACITY);
    }

    public ShellOptions withDefaultNamespace(String value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, value, logBufferLines);
    }

    public ShellOptions withContext(String value) {
        return new ShellOptions(Optional.of(value), namespace, last, openOnSandbox, theme, notices, defaultNamespace, logBufferLines);
    }

    public ShellOptions withNamespace(String value) {
        return new ShellOptions(context, Optional.of(value), last, openOnSandbox, theme, notices, defaultNamespace, logBufferLines);
    }

    public ShellOptions withLast(LastConnection value) {
        return new ShellOptions(context, namespace, Optional.ofNullable(value), openOnSandbox, theme, notices, defaultNamespace, logBufferLines);
    }

    public ShellOptions onSandbox() {
        return new ShellOptions(context, namespace, last, true, theme, notices, defaultNamespace, logBufferLines);
    }

    public ShellOptions withTheme(Theme value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, value, notices, defaultNamespace, logBufferLines);
    }

    public ShellOptions withNotices(List<String> value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, value, defaultNamespace, logBufferLines);
    }

    public ShellOptions withLogBufferLines(int value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, defaultNamespace, value);
    }
}
