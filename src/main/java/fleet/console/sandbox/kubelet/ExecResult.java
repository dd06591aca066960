package fleet.console.sandbox.kubelet;

/** What a command run in a container ({@code kubectl exec}) printed, and how it ended. */
public record ExecResult(String stdout, String stderr, int exitCode) {

    public static ExecResult ok(String stdout) {
        return new ExecResult(stdout, "", 0);
    }

    public static ExecResult failed(int exitCode, String stderr) {
        return new ExecResult("", stderr, exitCode);
    }

    /** What a shell says of a command the image does not have. */
    public static ExecResult notFound(String command) {
        return failed(127, "sh: 1: " + command + ": not found\n");
    }
}
