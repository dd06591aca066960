package fleet.console.ui.pods;

/** A kubectl command offered for copying, with what it does in the console's words. */
public record KubectlCommand(String label, String command) {
}
