package fleet.console.app;

import fleet.console.ui.shell.AboutInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/** The console's version and those of its main libraries, as the build recorded them. */
public record Versions(String console, String javafx, String controlsfx, String fabric8, String jnats, String jib) {

    public static Versions current() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/fleet/console/app/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Versions(p.getProperty("console", "dev"), p.getProperty("javafx", "?"), p.getProperty("controlsfx", "?"),
                p.getProperty("fabric8", "?"), p.getProperty("jnats", "?"), p.getProperty("jib", "?"));
    }

    /**
     * The lines of the About dialog: what runs, not only what was built against. The JavaFX runtime
     * reports its own version once the toolkit is up; before that the build's is shown.
     */
    public List<AboutInfo.Entry> libraries() {
        String fxRuntime = System.getProperty("javafx.runtime.version");
        String fx = fxRuntime == null || fxRuntime.isBlank() ? javafx : fxRuntime.replaceFirst("\\+.*$", "");
        return List.of(
                new AboutInfo.Entry("Java", Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"),
                new AboutInfo.Entry("JavaFX", fx),
                new AboutInfo.Entry("ControlsFX", controlsfx),
                new AboutInfo.Entry("fabric8 kubernetes-client", fabric8),
                new AboutInfo.Entry("jnats", jnats),
                new AboutInfo.Entry("jib-core", jib));
    }

    /** {@code fleet-console 0.1.0 (Java 17, JavaFX 21.0.11, ...)} for --version and the About dialog. */
    public String describe() {
        return "fleet-console " + console + " (Java " + Runtime.version().feature() + ", JavaFX " + javafx
                + ", ControlsFX " + controlsfx + ", fabric8 " + fabric8 + ", jnats " + jnats + ", jib-core " + jib + ")";
    }
}
