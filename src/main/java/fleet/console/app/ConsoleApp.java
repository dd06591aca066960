package fleet.console.app;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ProfileException;
import fleet.console.profile.ProfileLocator;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.Theme;
import fleet.console.sandbox.process.Executables;
import fleet.console.ui.shell.AboutInfo;
import fleet.console.ui.shell.ConnectionTarget;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.LastConnection;
import fleet.console.ui.shell.MainViewModel;
import fleet.console.ui.shell.SandboxFaults;
import fleet.console.ui.shell.SandboxHandle;
import fleet.console.ui.shell.ScreenshotMode;
import fleet.console.ui.shell.ShellMessage;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import fleet.console.ui.runbooks.RunSetup;
import fleet.console.audit.AuditJournal;
import fleet.console.ui.shell.StartCheck;
import io.fabric8.kubernetes.client.Config;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.Image;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The desktop application. {@link #launch(ConsoleStart)} is the composition root of a run: it reads the
 * settings and creates the background executor and the (lazily started) sandbox before the FX toolkit
 * starts, and closes them after it stopped, so the FX thread never does that I/O.
 */
public final class ConsoleApp extends Application {

    private static final Duration SCREENSHOT_TIMEOUT = Duration.ofSeconds(60);
    /** The sandbox's first start on a busy 2-core machine, then the overview's first read. */
    private static final Duration CHECK_START_TIMEOUT = Duration.ofSeconds(90);
    /** The window icon, drawn by jpackage/icons/DrawIcon.java like the installers' icons. */
    private static final List<String> ICONS = List.of("16", "32", "48", "64", "128", "256");

    /**
     * JavaFX creates the Application instance itself and takes no arguments but strings, so the run
     * is handed over through this one slot.
     */
    private static final AtomicReference<Run> PENDING = new AtomicReference<>();

    private Run run;
    private ConsoleWindow window;
    private Stage stage;

    /**
     * Runs the console until its window is closed (or, in screenshot mode, until the picture is
     * written) and returns the process exit status: 0 when all went well, 1 when the screenshot could
     * not show live data.
     */
    public static int launch(ConsoleStart start) {
        return launch(start, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** As {@link #launch(ConsoleStart)}, saying "ready" (--check-start) on out and what went wrong on err. */
    public static int launch(ConsoleStart start, PrintWriter out, PrintWriter err) {
        if (start.leavesSettingsAlone()) {
            useHeadlessDisplayWhenThereIsNone();
        } else if (!hasDisplay() && System.getProperty("glass.platform") == null) {
            // What scripts/fleet-console says too; the installed launcher has no script around it.
            err.println("fleet-console: there is no display to open the window on (DISPLAY is not set).");
            err.println("Run it from a desktop session, or use the command line: fleet-console --help");
            err.println("(for example: fleet-console health --sandbox).");
            return Cli.CANNOT;
        }
        Run run = new Run(start, out, err);
        if (!PENDING.compareAndSet(null, run)) {
            throw new IllegalStateException("The console is already running in this process.");
        }
        try {
            Application.launch(ConsoleApp.class);
        } finally {
            PENDING.set(null);
            run.close();
        }
        return run.exitCode;
    }

    /**
     * {@code --screenshot} on a machine without a display (CI, a server): draw into memory with
     * Monocle's headless platform instead of failing to open a window. Explicit settings win.
     */
    private static boolean hasDisplay() {
        return System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null
                || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    private static void useHeadlessDisplayWhenThereIsNone() {
        if (hasDisplay() || System.getProperty("glass.platform") != null) {
            return;
        }
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
    }

    @Override
    public void start(Stage primaryStage) {
        run = PENDING.get();
        if (run == null) {
            throw new IllegalStateException("Start the console through ConsoleApp.launch(ConsoleStart).");
        }
        stage = primaryStage;
        FleetProfile profile = run.profile;
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout().readOnly(run.start.readOnly()), run.kubeconfig,
                run.sandbox::handle, (client, namespace) -> FleetHealth.read(client, namespace, profile), run.background,
                new FxBatcher());
        window = ConsoleWindow.open(stage, services, run.shellOptions());
        // Runs from the window are set up as the command line sets them up: this profile, the user's run
        // folder, NATS through the cluster, the image builder with the user's logins, the journal.
        AuditJournal journal = new AuditJournal(services.auditFile());
        window.model().runbooks().useSetup(new RunSetup(profile, RunSetup.userStore(),
                (session, options) -> RunbookCommand.context(session, profile, options, journal)));
        // The diagnosis in the Pods area: badges, the Diagnosis panel; a fix's runbook opens in the Runbooks area.
        window.model().enableDiagnosis(new fleet.console.ui.diagnosis.ClusterDiagnosisSource(profile, run.background, journal::append),
                fleet.console.ui.diagnosis.DiagnosisView.systemClipboard());
        for (String size : ICONS) {
            URL icon = ConsoleApp.class.getResource("/fleet/console/app/icons/fleet-console-" + size + ".png");
            if (icon != null) {
                // Loaded in the background by JavaFX: no file reading on the FX thread.
                stage.getIcons().add(new Image(icon.toExternalForm(), true));
            }
        }
        if (run.start.checkStart()) {
            stage.show();
            StartCheck.await(window, CHECK_START_TIMEOUT, run.background).whenComplete((ready, error) -> {
                if (error == null) {
                    run.out.println("ready: Fleet Console " + run.versions.console() + ", " + ready + " ("
                            + (System.nanoTime() - run.created) / 1_000_000 + " ms after start)");
                    ShellMessage banner = window.model().getMessage();
                    if (banner != null) {
                        run.out.println("banner: " + banner.text().replace('\n', ' ')
                                + (banner.advice().isEmpty() ? "" : " " + banner.advice()));
                    }
                    for (String server : List.of("nats-server", "docker-registry")) {
                        run.out.println(server + ": " + Executables.find(server).map(Path::toString)
                                .orElse("not found (the sandbox simulates it)"));
                    }
                } else {
                    run.exitCode = 1;
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    run.err.println("not ready: " + cause.getMessage());
                }
                Platform.runLater(Platform::exit);
            });
        } else if (run.start.screenshot().isPresent()) {
            Path file = run.start.screenshot().get();
            stage.setWidth(1280);
            stage.setHeight(800);
            stage.show();
            ScreenshotMode.capture(window, file, SCREENSHOT_TIMEOUT, run.background).whenComplete((written, error) -> {
                if (error == null) {
                    run.out.println("Screenshot written to " + written);
                } else {
                    run.exitCode = 1;
                    run.err.println(error.getMessage());
                }
                Platform.runLater(Platform::exit);
            });
        } else {
            place(stage, run.settings);
            stage.show();
        }
    }

    @Override
    public void stop() {
        if (window == null) {
            return;
        }
        if (!run.start.leavesSettingsAlone()) {
            // Collected here, written by launch() once the toolkit is gone: no file I/O on the FX thread.
            run.toSave = currentSettings();
        }
        run.window = window;
    }

    private Settings currentSettings() {
        Settings s = run.settings;
        if (!stage.isMaximized() && !stage.isIconified()) {
            s = s.withWindow(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        } else {
            // The size to restore to is the one before maximizing.
            s = s.withWindow(s.windowX(), s.windowY(), s.windowWidth(), s.windowHeight(), stage.isMaximized());
        }
        MainViewModel model = window.model();
        s = s.withTheme(model.getTheme().settingsName());
        LastConnection last = model.lastConnectionProperty().get();
        if (last != null) {
            s = s.withLastConnection(last.target().context(), last.target().sandbox(), last.namespace());
        }
        return s.withProductionContexts(model.productionContexts().stream().sorted().toList());
    }

    /** Back where it was, unless that place is on no screen any more (a monitor unplugged since). */
    private static void place(Stage stage, Settings settings) {
        stage.setWidth(settings.windowWidth());
        stage.setHeight(settings.windowHeight());
        if (Double.isFinite(settings.windowX()) && Double.isFinite(settings.windowY())
                && !Screen.getScreensForRectangle(new Rectangle2D(settings.windowX(), settings.windowY(),
                        Math.min(settings.windowWidth(), 200), Math.min(settings.windowHeight(), 100))).isEmpty()) {
            stage.setX(settings.windowX());
            stage.setY(settings.windowY());
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(settings.maximized());
    }

    /** The profile named on the command line, else the one the settings name, else the usual one. */
    static Optional<Path> profileFile(ConsoleStart start, Settings settings) {
        return start.profile().or(() -> settings.profileFile().isEmpty() ? Optional.empty()
                : Optional.of(Path.of(settings.profileFile())));
    }

    /**
     * How the window opens, from the command line, the settings as read (with their problem, said in
     * the banner) and the fleet profile. A first run (no settings file yet) opens on the welcome view
     * unless the command line said where to go.
     */
    static ShellOptions shellOptions(ConsoleStart start, Settings.Loaded loaded, FleetProfile profile,
                                     Optional<String> profileProblem, AboutInfo about) {
        Settings settings = loaded.settings();
        Theme theme = Theme.fromSettingsName(settings.theme()).orElse(Theme.LIGHT);
        List<String> notices = new ArrayList<>();
        loaded.problem().ifPresent(notices::add);
        profileProblem.ifPresent(notices::add);
        ShellOptions options = ShellOptions.defaults().withTheme(theme).withNotices(notices)
                .withDefaultNamespace(profile.namespace())
                .withFirstRun(loaded.firstRun() && !start.saysWhereToOpen())
                .withProductionContexts(settings.productionContexts())
                .withLogBufferLines(settings.logBufferLines())
                .withAbout(about);
        if (!settings.lastContext().isEmpty() || settings.lastWasSandbox()) {
            ConnectionTarget target = settings.lastWasSandbox() ? ConnectionTarget.SANDBOX
                    : ConnectionTarget.context(settings.lastContext());
            options = options.withLast(new LastConnection(target, settings.lastNamespace()));
        }
        if (start.context().isPresent()) {
            options = options.withContext(start.context().get());
        }
        if (start.namespace().isPresent()) {
            options = options.withNamespace(start.namespace().get());
        }
        return start.leavesSettingsAlone() ? options.onSandbox() : options;
    }

    /** The About dialog's text: this build's versions and where the console keeps its files. */
    static AboutInfo about(Versions versions, Path settingsFile, FleetProfile profile) {
        List<AboutInfo.Entry> facts = new ArrayList<>();
        facts.add(new AboutInfo.Entry("Settings", settingsFile.toString()));
        facts.add(new AboutInfo.Entry("Fleet profile", profile.source()));
        facts.add(new AboutInfo.Entry("Java home", System.getProperty("java.home", "?")));
        facts.add(new AboutInfo.Entry("Operating system", System.getProperty("os.name", "?") + " "
                + System.getProperty("os.version", "") + " (" + System.getProperty("os.arch", "?") + ")"));
        return new AboutInfo("Fleet Console", versions.console(), versions.libraries(), facts);
    }

    /** What one run owns, from before the FX toolkit starts until after it stopped. */
    private static final class Run {
        final ConsoleStart start;
        final PrintWriter out;
        final PrintWriter err;
        final long created = System.nanoTime();
        final Versions versions = Versions.current();
        final Path settingsFile;
        final Settings.Loaded loaded;
        final Settings settings;
        final FleetProfile profile;
        final Optional<String> profileProblem;
        final Path kubeconfig;
        final ScheduledExecutorService background;
        final LazySandbox sandbox;
        volatile Settings toSave;
        volatile int exitCode;
        volatile ConsoleWindow window;

        Run(ConsoleStart start, PrintWriter out, PrintWriter err) {
            this.start = start;
            this.out = out;
            this.err = err;
            Path home = Path.of(System.getProperty("user.home"));
            this.settingsFile = Settings.defaultFile(System.getenv(), home);
            this.loaded = Settings.load(settingsFile);
            this.settings = loaded.settings();
            FleetProfile chosen;
            Optional<String> problem = Optional.empty();
            try {
                chosen = ProfileLocator.forCurrentUser().choose(profileFile(start, settings)).load();
            } catch (ProfileException e) {
                // A broken profile file must not keep the console closed: the built-in one is the
                // runbook's fleet, and the message says which file to fix.
                chosen = FleetProfile.defaults();
                problem = Optional.of(e.getMessage() + " The console uses the built-in fleet profile until it is fixed.");
            }
            this.profile = chosen;
            this.profileProblem = problem;
            this.kubeconfig = start.kubeconfig().orElseGet(() -> KubeconfigFile.defaultPath(System.getenv(), home));
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(4, daemonThreads());
            // Timers still pending at exit (a screenshot deadline, a debounced re-read) are moot then.
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.background = pool;
            this.sandbox = new LazySandbox(profile, start.faults(), background);
        }

        ShellOptions shellOptions() {
            return ConsoleApp.shellOptions(start, loaded, profile, profileProblem, about(versions, settingsFile, profile));
        }

        void close() {
            Settings last = toSave;
            if (last != null) {
                try {
                    last.save(settingsFile);
                } catch (IOException e) {
                    err.println("Could not save the settings to " + settingsFile + ": " + e.getMessage());
                }
            }
            // The sandbox goes first: its emulator stalls when a client closes a watch while events are
            // still being sent on it, less so when the server side ends the connections.
            try {
                sandbox.close();
            } catch (RuntimeException e) {
                // Leaving is what the operator asked for; a sandbox that does not stop in time must not
                // keep the process (and its exit status) hostage.
                err.println("The sandbox did not stop cleanly: " + e.getMessage());
            }
            ConsoleWindow closing = window;
            if (closing != null) {
                closing.dispose();
            }
            background.shutdown();
            try {
                // Lets the sessions close cleanly; the threads are daemons, so a hung close cannot keep
                // the process alive.
                background.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            background.shutdownNow();
        }

        private static ThreadFactory daemonThreads() {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, "console-background-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }

    /** Starts the embedded sandbox the first time the operator connects to it, and only once. */
    private static final class LazySandbox implements AutoCloseable {
        /** Long enough for the fleet to come up on a busy 2-core machine, then for the fault to show. */
        private static final java.time.Duration FAULT_WAIT = java.time.Duration.ofSeconds(90);
        private final FleetProfile profile;
        private final List<Fault> faults;
        private final ScheduledExecutorService background;
        private Sandbox sandbox;

        LazySandbox(FleetProfile profile, List<Fault> faults, ScheduledExecutorService background) {
            this.profile = profile;
            this.faults = List.copyOf(faults);
            this.background = background;
        }

        synchronized SandboxHandle handle() {
            if (sandbox == null) {
                sandbox = Sandbox.start(profile, SandboxOptions.defaults());
                if (!faults.isEmpty()) {
                    // The faults of --fault hit a fleet that is up, as the runbook's cases do; the
                    // console is usable meanwhile and shows the fleet coming up.
                    Sandbox started = sandbox;
                    background.execute(() -> {
                        try {
                            started.injectOnceReady(faults, FAULT_WAIT);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
            Sandbox running = sandbox;
            return new SandboxHandle() {
                @Override
                public Config clientConfig() {
                    return running.clientConfig();
                }

                @Override
                public String namespace() {
                    return running.namespace();
                }

                @Override
                public Optional<SandboxFaults> faults() {
                    return Optional.of(new SandboxFaults() {
                        @Override
                        public void inject(Fault fault) {
                            running.inject(fault);
                        }

                        @Override
                        public void clear(Fault fault) {
                            running.clear(fault);
                        }

                        @Override
                        public List<Fault> activeFaults() {
                            return running.activeFaults();
                        }
                    });
                }
            };
        }

        @Override
        public synchronized void close() {
            if (sandbox != null) {
                sandbox.close();
                sandbox = null;
            }
        }
    }
}
