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
 * @param firstRun       the console's first start for this user: the welcome view explains the areas
 *                       and the operator chooses what to connect to; nothing connects before that
 * @param productionContexts contexts the operator marked as production
 * @param logBufferLines how many lines a log view keeps
 * @param about          what the About dialog says
 */
public record ShellOptions(Optional<String> context, Optional<String> namespace, Optional<LastConnection> last,
                           boolean openOnSandbox, Theme theme, List<String> notices, String defaultNamespace,
                           boolean firstRun, List<String> productionContexts, int logBufferLines, AboutInfo about) {

    /** The log views' default when the settings say nothing. */
    public static final int DEFAULT_LOG_BUFFER_LINES = fleet.console.ui.logs.LogBuffer.DEFAULT_CAPACITY;

    public ShellOptions {
        notices = List.copyOf(notices);
        productionContexts = List.copyOf(productionContexts);
    }

    public static ShellOptions defaults() {
        return new ShellOptions(Optional.empty(), Optional.empty(), Optional.empty(), false, Theme.LIGHT, List.of(),
                MainViewModel.DEFAULT_NAMESPACE, false, List.of(), DEFAULT_LOG_BUFFER_LINES, AboutInfo.unknown());
    }

    public ShellOptions withDefaultNamespace(String value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, value, firstRun,
                productionContexts, logBufferLines, about);
    }

    public ShellOptions withContext(String value) {
        return new ShellOptions(Optional.of(value), namespace, last, openOnSandbox, theme, notices, defaultNamespace,
                firstRun, productionContexts, logBufferLines, about);
    }

    public ShellOptions withNamespace(String value) {
        return new ShellOptions(context, Optional.of(value), last, openOnSandbox, theme, notices, defaultNamespace,
                firstRun, productionContexts, logBufferLines, about);
    }

    public ShellOptions withLast(LastConnection value) {
        return new ShellOptions(context, namespace, Optional.ofNullable(value), openOnSandbox, theme, notices,
                defaultNamespace, firstRun, productionContexts, logBufferLines, about);
    }

    public ShellOptions onSandbox() {
        return new ShellOptions(context, namespace, last, true, theme, notices, defaultNamespace, firstRun,
                productionContexts, logBufferLines, about);
    }

    public ShellOptions withTheme(Theme value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, value, notices, defaultNamespace, firstRun,
                productionContexts, logBufferLines, about);
    }

    public ShellOptions withNotices(List<String> value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, value, defaultNamespace, firstRun,
                productionContexts, logBufferLines, about);
    }

    public ShellOptions withFirstRun(boolean value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, defaultNamespace, value,
                productionContexts, logBufferLines, about);
    }

    public ShellOptions withProductionContexts(List<String> value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, defaultNamespace, firstRun,
                value, logBufferLines, about);
    }

    public ShellOptions withLogBufferLines(int value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, defaultNamespace, firstRun,
                productionContexts, value, about);
    }

    public ShellOptions withAbout(AboutInfo value) {
        return new ShellOptions(context, namespace, last, openOnSandbox, theme, notices, defaultNamespace, firstRun,
                productionContexts, logBufferLines, value);
    }
}
