package fleet.console.app;

import java.io.PrintWriter;

/**
 * Entry point of the jar and the installers. It does not extend Application, so JavaFX runs from the
 * class path without "JavaFX runtime components are missing".
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(Cli.run(args, out, err));
    }
}
