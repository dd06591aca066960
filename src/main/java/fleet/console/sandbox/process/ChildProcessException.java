package fleet.console.sandbox.process;

/** A child process that could not be started or did not become ready; carries what it printed. */
public final class ChildProcessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String output;

    public ChildProcessException(String message, String output) {
        this(message, output, null);
    }

    public ChildProcessException(String message, String output, Throwable cause) {
        super(output == null || output.isBlank() ? message : message + "\n--- output ---\n" + output.strip(), cause);
        this.output = output == null ? "" : output;
    }

    /** The tail of what the child wrote to stdout and stderr. */
    public String output() {
        return output;
    }
}
