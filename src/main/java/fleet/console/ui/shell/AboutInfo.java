package fleet.console.ui.shell;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the About dialog says: the console's version, the versions of the libraries it runs on, and
 * where its files are. Made by the composition root, which knows the build; the dialog only shows it.
 *
 * @param libraries name and version of Java, JavaFX and the main libraries, as they run
 * @param facts     where things are (settings file, fleet profile, Java home)
 */
public record AboutInfo(String product, String version, List<Entry> libraries, List<Entry> facts) {

    /** One line of the dialog. */
    public record Entry(String name, String value) {
    }

    public AboutInfo {
        libraries = List.copyOf(libraries);
        facts = List.copyOf(facts);
    }

    /** For a window opened without one (tests of other things): says nothing it does not know. */
    public static AboutInfo unknown() {
        return new AboutInfo("Fleet Console", "dev", List.of(new Entry("Java", System.getProperty("java.version", "?"))),
                List.of());
    }

    /** The whole dialog as text, for the Copy button (bug reports want exactly this). */
    public String text() {
        String libs = libraries.stream().map(e -> e.name() + " " + e.value()).collect(Collectors.joining("\n"));
        String where = facts.stream().map(e -> e.name() + ": " + e.value()).collect(Collectors.joining("\n"));
        return product + " " + version + "\n" + libs + (where.isEmpty() ? "" : "\n" + where) + "\n";
    }
}
