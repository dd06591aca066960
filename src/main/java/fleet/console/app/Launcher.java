package fleet.console.app;

/** Entry point. Does not extend Application so JavaFX can run from the class path. */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        System.out.println("Fleet Console");
    }
}
