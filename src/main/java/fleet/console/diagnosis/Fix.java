package fleet.console.diagnosis;

import fleet.console.cluster.KubectlCommands;
import fleet.console.runbook.RunOptions;

import java.util.ArrayList;
import java.util.List;

/** What makes the cause go away: a runbook of the console, started with the right options, or exact commands. */
public sealed interface Fix {

    /** One or two sentences: what to do and why it cures the cause. */
    String summary();

    /** What to type in a terminal for the same cure. */
    List<String> commands();

    /**
     * A runbook of the console ({@code fleet.console.runbook.Runbooks}), with the service and options filled
     * in: the UI starts it in one click, the command line with {@link #cliCommand()}.
     */
    record RunbookFix(String runbook, RunOptions options, String summary) implements Fix {

        /** {@code fleet-console runbook redeploy --service orchestrator --skip-build --tag v3.0.0}. */
        public String cliCommand() {
            List<String> words = new ArrayList<>(List.of("fleet-console", "runbook", runbook));
            options.service().ifPresent(s -> {
                words.add("--service");
                words.add(s);
            });
            if (options.skipBuild()) {
                words.add("--skip-build");
            }
            options.tag().ifPresent(t -> {
                words.add("--tag");
                words.add(t);
            });
            options.toRevision().ifPresent(n -> {
                words.add("--to-revision");
                words.add(Long.toString(n));
            });
            StringBuilder out = new StringBuilder();
            for (String w : words) {
                out.append(out.length() == 0 ? "" : " ").append(KubectlCommands.quote(w));
            }
            return out.toString();
        }

        @Override
        public List<String> commands() {
            return List.of(cliCommand());
        }
    }

    /** Commands to run by hand, in order, where no runbook applies. */
    record CommandFix(String summary, List<String> commands) implements Fix {
        public CommandFix {
            commands = List.copyOf(commands);
        }
    }
}
