package fleet.console.app;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;

/**
 * What the console remembers between runs: the window's place and size, the theme, the last
 * connection, the log buffer's size, the contexts the operator marked as production and the fleet
 * profile to use. A properties file, so an operator can read and fix it by hand. A file that cannot be
 * read is set aside and replaced by defaults with a message saying so; the console never fails to
 * start because of it.
 *
 * @param windowX            NaN when unknown (first run): the platform places the window
 * @param lastContext        empty: none yet
 * @param logBufferLines     how many log lines a log view keeps before dropping the oldest
 * @param productionContexts kubeconfig contexts the operator marked as production (the window says so)
 * @param profileFile        a fleet profile to use when the command line names none; empty: the usual one
 */
public record Settings(double windowX, double windowY, double windowWidth, double windowHeight, boolean maximized,
                       String theme, String lastContext, boolean lastWasSandbox, String lastNamespace,
                       int logBufferLines, List<String> productionContexts, String profileFile) {

    public static final String FILE_NAME = "settings.properties";
    /** The log views' own default (100,000 lines, about 30 MB of typical log text). */
    public static final int DEFAULT_LOG_BUFFER_LINES = fleet.console.ui.logs.LogBuffer.DEFAULT_CAPACITY;
    public static final int MIN_LOG_BUFFER_LINES = 1_000;
    public static final int MAX_LOG_BUFFER_LINES = 5_000_000;

    /**
     * The result of reading: the settings, what to tell the operator if the file was bad, and whether
     * this is the console's first run for this user (there was no file at all).
     */
    public record Loaded(Settings settings, Optional<String> problem, boolean firstRun) {
    }

    public Settings {
        theme = theme == null ? "light" : theme;
        lastContext = lastContext == null ? "" : lastContext;
        lastNamespace = lastNamespace == null ? "" : lastNamespace;
        productionContexts = productionContexts == null ? List.of() : List.copyOf(new LinkedHashSet<>(productionContexts));
        profileFile = profileFile == null ? "" : profileFile.trim();
    }

    public static Settings defaults() {
        return new Settings(Double.NaN, Double.NaN, 1200, 760, false, "light", "", false, "", DEFAULT_LOG_BUFFER_LINES,
                List.of(), "");
    }

    /** The settings file in this platform's usual place for the current user. */
    public static Path defaultFile(Map<String, String> env, Path home) {
        return defaultFile(System.getProperty("os.name", ""), env, home);
    }

    /**
     * The platform's config folder: {@code %APPDATA%\Fleet Console} on Windows,
     * {@code ~/Library/Application Support/Fleet Console} on macOS, and elsewhere
     * {@code $XDG_CONFIG_HOME/fleet-console}, else {@code ~/.config/fleet-console}.
     */
    public static Path defaultFile(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData) : home.resolve("AppData").resolve("Roaming");
            return base.resolve("Fleet Console").resolve(FILE_NAME);
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("Fleet Console").resolve(FILE_NAME);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("fleet-console").resolve(FILE_NAME);
    }

    public static Loaded load(Path file) {
        if (!Files.exists(file)) {
            return new Loaded(defaults(), Optional.empty(), true);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            // A half-written file (disk full, killed mid-write) or one mangled by hand: keep it for
            // inspection and start clean rather than refusing to open.
            return new Loaded(defaults(), Optional.of(setAside(file, e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage())), false);
        }
        List<String> bad = new ArrayList<>();
        Settings d = defaults();
        Settings s = new Settings(
                number(p, "window.x", d.windowX(), bad),
                number(p, "window.y", d.windowY(), bad),
                size(p, "window.width", d.windowWidth(), bad),
                size(p, "window.height", d.windowHeight(), bad),
                flag(p, "window.maximized", d.maximized(), bad),
                p.getProperty("theme", d.theme()).trim(),
                p.getProperty("connection.context", "").trim(),
                flag(p, "connection.sandbox", false, bad),
                p.getProperty("connection.namespace", "").trim(),
                lines(p, "logs.buffer_lines", d.logBufferLines(), bad),
                names(p.getProperty("contexts.production", "")),
                p.getProperty("profile.file", "").trim());
        if (!Set.of("light", "dark").contains(s.theme().toLowerCase(Locale.ROOT))) {
            bad.add("theme");
            s = s.withTheme(d.theme());
        }
        if (!bad.isEmpty()) {
            return new Loaded(s, Optional.of("Settings file " + file + " had unusable values (" + String.join(", ", bad)
                    + "); defaults are used for those."), false);
        }
        return new Loaded(s, Optional.empty(), false);
    }

    private static int lines(Properties p, String key, int fallback, List<String> bad) {
        String text = p.getProperty(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.trim().replace("_", "").replace(",", ""));
            if (v >= MIN_LOG_BUFFER_LINES && v <= MAX_LOG_BUFFER_LINES) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the other unusable keys
        }
        bad.add(key);
        return fallback;
    }

    private static List<String> names(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static String setAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            return "Settings file " + file + " could not be read (" + why + "); started with defaults. "
                    + "The old file is kept as " + aside + ".";
        } catch (IOException e) {
            return "Settings file " + file + " could not be read (" + why + "); started with defaults. "
                    + "It will be overwritten when the console closes.";
        }
    }

    private static double number(Properties p, String key, double fallback, List<String> bad) {
        return parse(p, key, bad).orElse(fallback);
    }

    private static double size(Properties p, String key, double fallback, List<String> bad) {
        OptionalDouble v = parse(p, key, bad);
        if (v.isPresent() && v.getAsDouble() < 200) {
            bad.add(key);
            return fallback;
        }
        return v.orElse(fallback);
    }

    private static OptionalDouble parse(Properties p, String key, List<String> bad) {
        String text = p.getProperty(key);
        if (text == null || text.isBlank()) {
            return OptionalDouble.empty();
        }
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isFinite(v)) {
                return OptionalDouble.of(v);
            }
        } catch (NumberFormatException e) {
            // reported below with the other unusable keys
        }
        bad.add(key);
        return OptionalDouble.empty();
    }

    private static boolean flag(Properties p, String key, boolean fallback, List<String> bad) {
        String text = p.getProperty(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        bad.add(key);
        return fallback;
    }

    /** Writes through a temporary file, so a crash mid-write leaves the old file, not half of a new one. */
    public void save(Path file) throws IOException {
        Properties p = new Properties();
        if (Double.isFinite(windowX) && Double.isFinite(windowY)) {
            p.setProperty("window.x", Double.toString(windowX));
            p.setProperty("window.y", Double.toString(windowY));
        }
        p.setProperty("window.width", Double.toString(windowWidth));
        p.setProperty("window.height", Double.toString(windowHeight));
        p.setProperty("window.maximized", Boolean.toString(maximized));
        p.setProperty("theme", theme);
        p.setProperty("connection.context", lastContext);
        p.setProperty("connection.sandbox", Boolean.toString(lastWasSandbox));
        p.setProperty("connection.namespace", lastNamespace);
        p.setProperty("logs.buffer_lines", Integer.toString(logBufferLines));
        p.setProperty("contexts.production", String.join(",", productionContexts));
        p.setProperty("profile.file", profileFile);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                p.store(out, "Fleet Console settings");
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public Settings withWindow(double x, double y, double width, double height, boolean isMaximized) {
        return new Settings(x, y, width, height, isMaximized, theme, lastContext, lastWasSandbox, lastNamespace,
                logBufferLines, productionContexts, profileFile);
    }

    public Settings withTheme(String value) {
        return new Settings(windowX, windowY, windowWidth, windowHeight, maximized, value, lastContext, lastWasSandbox,
                lastNamespace, logBufferLines, productionContexts, profileFile);
    }

    public Settings withLastConnection(String context, boolean sandbox, String namespace) {
        return new Settings(windowX, windowY, windowWidth, windowHeight, maximized, theme, context, sandbox, namespace,
                logBufferLines, productionContexts, profileFile);
    }

    public Settings withLogBufferLines(int value) {
        return new Settings(windowX, windowY, windowWidth, windowHeight, maximized, theme, lastContext, lastWasSandbox,
                lastNamespace, value, productionContexts, profileFile);
    }

    public Settings withProductionContexts(List<String> value) {
        return new Settings(windowX, windowY, windowWidth, windowHeight, maximized, theme, lastContext, lastWasSandbox,
                lastNamespace, logBufferLines, value, profileFile);
    }

    public Settings withProfileFile(String value) {
        return new Settings(windowX, windowY, windowWidth, windowHeight, maximized, theme, lastContext, lastWasSandbox,
                lastNamespace, logBufferLines, productionContexts, value);
    }
}
