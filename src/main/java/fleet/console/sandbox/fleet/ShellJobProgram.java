package fleet.console.sandbox.fleet;

import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramContext;
import io.fabric8.kubernetes.api.model.Container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job container the sandbox does not know: it runs the few shell words a one-off job usually has
 * ({@code sh -c "echo ...; exit N"}): each {@code echo} is a log line, {@code exit N} ends it with that
 * code, so failing jobs (and BackoffLimitExceeded) can be tried in the sandbox too. Anything else
 * just completes.
 */
final class ShellJobProgram implements ContainerProgram {

    private static final Pattern EXIT = Pattern.compile("^exit\\s+(\\d+)$");

    private final String job;
    private final Container container;

    ShellJobProgram(String job, Container container) {
        this.job = job;
        this.container = container;
    }

    @Override
    public void start(ProgramContext ctx) {
        Optional<String> script = script(container);
        if (script.isEmpty()) {
            ctx.log("Running " + job + " (" + container.getImage() + ")");
            ctx.after(Duration.ofMillis(200), () -> {
                ctx.log("Done.");
                ctx.exit(0, "Completed");
            });
            return;
        }
        List<String> lines = new ArrayList<>();
        int exit = 0;
        for (String step : script.get().split(";|&&")) {
            String s = step.trim();
            Matcher m = EXIT.matcher(s);
            if (m.matches()) {
                exit = Integer.parseInt(m.group(1));
                break;
            }
            if (s.startsWith("echo ")) {
                lines.add(unquote(s.substring(5).trim()));
            }
        }
        lines.forEach(ctx::log);
        int code = exit;
        ctx.after(Duration.ofMillis(150), () -> ctx.exit(code, code == 0 ? "Completed" : "Error"));
    }

    /** The text after {@code sh -c} (or {@code bash -c}), if that is how the container is started. */
    private static Optional<String> script(Container c) {
        List<String> words = new ArrayList<>();
        if (c.getCommand() != null) {
            words.addAll(c.getCommand());
        }
        if (c.getArgs() != null) {
            words.addAll(c.getArgs());
        }
        int dashC = words.indexOf("-c");
        if (dashC < 0 || dashC + 1 >= words.size()) {
            return Optional.empty();
        }
        return Optional.of(words.get(dashC + 1));
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"") || text.startsWith("'") && text.endsWith("'"))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }
}
