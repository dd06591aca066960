package fleet.console.ui;

import fleet.console.app.ConsoleApp;
import fleet.console.app.ConsoleStart;

import java.nio.file.Path;

/**
 * Runs the console's {@code --screenshot FILE} mode as the Launcher will, in a process of its own:
 * the FX toolkit can be launched once per process, and the test JVM already has one.
 */
public final class ScreenshotProcessMain {

    private ScreenshotProcessMain() {
    }

    public static void main(String[] args) {
        System.exit(ConsoleApp.launch(ConsoleStart.defaults().withScreenshot(Path.of(args[0]))));
    }
}
