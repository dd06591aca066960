package fleet.console.ui.shell;

import fleet.console.cluster.WorkloadHealth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The window's search (Ctrl+F): areas, the fleet's workloads and every menu command, found by any
 * part of their name or description. A plain object: it reads the main view-model and the commands it
 * is given, and what a result does is handed in by the window.
 */
public final class QuickSearch {

    public static final int MAX_RESULTS = 12;

    /** What a result is. */
    public enum Kind {
        AREA("Area"),
        WORKLOAD("Workload"),
        COMMAND("Command");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One result.
     *
     * @param detail what the operator reads beside the title (the area's first line, the workload's
     *               state, the command's keys)
     */
    public record Result(Kind kind, String title, String detail, Runnable action) {
        @Override
        public String toString() {
            return title;
        }
    }

    /** A menu command the search can run. */
    public record Command(String title, String keys, Runnable action) {
    }

    private final MainViewModel model;
    private final Supplier<List<Command>> commands;
    private final Consumer<String> revealWorkload;

    /**
     * @param revealWorkload shows a workload to the operator (the Overview with its row selected)
     */
    public QuickSearch(MainViewModel model, Supplier<List<Command>> commands, Consumer<String> revealWorkload) {
        this.model = model;
        this.commands = commands;
        this.revealWorkload = revealWorkload;
    }

    /**
     * Results for the words typed: names that start with them first, then names that contain them,
     * then descriptions that do; areas before workloads before commands at the same rank. An empty
     * query lists the areas.
     */
    public List<Result> find(String query) {
        String q = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        List<Ranked> ranked = new ArrayList<>();
        for (Area area : Area.values()) {
            List<String> guide = AreaGuide.lines(area);
            add(ranked, q, new Result(Kind.AREA, area.title(), guide.get(0), () -> model.selectArea(area)),
                    String.join(" ", guide));
        }
        for (WorkloadHealth w : List.copyOf(model.overview().rows())) {
            add(ranked, q, new Result(Kind.WORKLOAD, w.name(), w.state() + " (" + w.ready() + "/" + w.desired() + ")", () -> revealWorkload.accept(w.name())), w.state());
        }
        for (Command c : commands.get()) {
            add(ranked, q, new Result(Kind.COMMAND, c.title(), c.keys(), c.action()), "");
        }
        ranked.sort(Comparator.comparingInt(Ranked::rank).thenComparingInt(r -> r.result().kind().ordinal()));
        return ranked.stream().limit(MAX_RESULTS).map(Ranked::result).toList();
    }

    private record Ranked(int rank, Result result) {
    }

    private static void add(List<Ranked> out, String q, Result result, String description) {
        String title = result.title().toLowerCase(Locale.ROOT);
        int rank;
        if (q.isEmpty()) {
            if (result.kind() != Kind.AREA) {
                return;
            }
            rank = 0;
        } else if (title.startsWith(q)) {
            rank = 0;
        } else if (title.contains(q)) {
            rank = 1;
        } else if (description.toLowerCase(Locale.ROOT).contains(q)) {
            rank = 2;
        } else {
            return;
        }
        out.add(new Ranked(rank, result));
    }
}
