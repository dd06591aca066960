package fleet.console.ui.logs;

import fleet.console.ui.common.SameElements;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

import java.util.ArrayList;
import java.util.List;

/**
 * One log line: the pod prefix in its pod's colour (a workload's view), the text coloured by level, and
 * the search's matches marked (the one next/previous went to more strongly). Only the visible lines
 * have a cell, so a million-line log costs no more nodes than a screenful.
 */
final class LogLineCell extends ListCell<LogEntry> {

    static final String LINE = "log-line";
    static final String ERROR = "log-error";
    static final String ERROR_START = "log-error-start";
    static final String CONTINUATION = "log-continuation";
    static final String WARN = "log-warn";
    static final String GAP = "log-gap";
    static final String PREFIX = "log-prefix";
    static final String TEXT = "log-text";
    static final String MATCH = "log-match";
    static final String CURRENT_MATCH = "log-match-current";
    private static final List<String> LEVEL_CLASSES = List.of(ERROR, ERROR_START, CONTINUATION, WARN, GAP);

    private final LogViewModel model;
    private final TextFlow flow = new TextFlow();
    private final Text prefix = new Text();
    private final Text plain = new Text();
    private String prefixClass;

    LogLineCell(LogViewModel model) {
        this.model = model;
        getStyleClass().add(LINE);
        prefix.getStyleClass().add(PREFIX);
        plain.getStyleClass().add(TEXT);
        setText(null);
    }

    @Override
    protected void updateItem(LogEntry entry, boolean empty) {
        super.updateItem(entry, empty);
        if (empty || entry == null) {
            levelClasses(List.of());
            // The list's rows are rebuilt on each change of a flood (the same number of rows, other lines):
            // each cell is emptied, then given its new line. Its nodes stay in place, with no text, rather
            // than being detached and attached again, which would restyle them each time.
            prefix.setText("");
            plain.setText("");
            if (!SameElements.in(flow.getChildren(), List.of(plain))) {
                flow.getChildren().setAll(plain);
            }
            return;
        }
        List<String> level = new ArrayList<>(3);
        switch (entry.level()) {
            case ERROR -> {
                level.add(ERROR);
                level.add(entry.continuation() ? CONTINUATION : ERROR_START);
            }
            case WARN -> level.add(WARN);
            default -> {
            }
        }
        if (getIndex() > 0 && getIndex() < getListView().getItems().size()) {
            LogEntry before = getListView().getItems().get(getIndex() - 1);
            if (before.number() != entry.number() - 1) {
                // Lines hidden by the filter (or evicted) lie between these two.
                level.add(GAP);
            }
        }
        levelClasses(level);
        List<Node> children = new ArrayList<>(3);
        String pod = model.prefixOf(entry);
        if (!pod.isEmpty()) {
            String colour = LogSources.colourClass(entry.source());
            if (!colour.equals(prefixClass)) {
                if (prefixClass != null) {
                    prefix.getStyleClass().remove(prefixClass);
                }
                prefixClass = colour;
                prefix.getStyleClass().add(prefixClass);
            }
            prefix.setText(pod + "  ");
            children.add(prefix);
        }
        String text = entry.text();
        int[] matches = model.matchesIn(entry);
        if (matches.length == 0) {
            plain.setText(text);
            children.add(plain);
        } else {
            SearchHit hit = model.currentHitProperty().get();
            int at = 0;
            for (int i = 0; i < matches.length; i += 2) {
                if (matches[i] > at) {
                    children.add(segment(text.substring(at, matches[i])));
                }
                Label match = new Label(text.substring(matches[i], matches[i + 1]));
                match.getStyleClass().add(MATCH);
                if (hit != null && hit.line() == entry.number() && hit.occurrence() == i / 2) {
                    match.getStyleClass().add(CURRENT_MATCH);
                }
                match.setMinWidth(Region.USE_PREF_SIZE);
                children.add(match);
                at = matches[i + 1];
            }
            if (at < text.length()) {
                children.add(segment(text.substring(at)));
            }
        }
        if (!SameElements.in(flow.getChildren(), children)) {
            flow.getChildren().setAll(children);
        }
        if (model.wrapProperty().get() && getListView() != null) {
            // Wrapped lines are as wide as the list; the cell itself claims no width, so no horizontal
            // scroll bar appears.
            flow.setPrefWidth(Math.max(100, getListView().getWidth() - 30));
            setPrefWidth(0);
        } else {
            flow.setPrefWidth(Region.USE_COMPUTED_SIZE);
            setPrefWidth(Region.USE_COMPUTED_SIZE);
        }
        setGraphic(flow);
    }

    /**
     * Sets the cell's level classes, touching its style classes only when they change: a changed class
     * list restyles the cell and everything in it, and under a flood most lines are plain, as the line
     * the cell showed before was.
     */
    private void levelClasses(List<String> wanted) {
        List<String> present = new ArrayList<>(3);
        for (String c : getStyleClass()) {
            if (LEVEL_CLASSES.contains(c)) {
                present.add(c);
            }
        }
        if (!present.equals(wanted)) {
            getStyleClass().removeAll(LEVEL_CLASSES);
            getStyleClass().addAll(wanted);
        }
    }

    private static Text segment(String s) {
        Text t = new Text(s);
        t.getStyleClass().add(TEXT);
        return t;
    }
}
