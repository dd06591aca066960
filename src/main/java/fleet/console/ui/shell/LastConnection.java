package fleet.console.ui.shell;

/** The connection to reopen at the next start; kept in the settings file. */
public record LastConnection(ConnectionTarget target, String namespace) {
}
