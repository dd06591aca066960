package fleet.console.ui.shell;

/** Where the console's connection stands, as the connection bar shows it. */
public enum ConnectionState {
    /** No attempt yet. */
    IDLE,
    CONNECTING,
    CONNECTED,
    /** The last attempt failed and no earlier connection is left to show. */
    FAILED
}
