package fleet.console.ui.logs;

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
        getStyleClass().removeAll(LEVEL_CLASSES);
        if (empty || entry == null) {
            setGraphic(null);
            return;
        }
        switch (entry.level()) {
            case ERROR -> {
                getStyleClass().add(ERROR);
                getStyleClass().add(entry.continuation() ? CONTINUATION : ERROR_START);
            }
            case WARN -> getStyleClass().add(WARN);
            default -> {
            }
        }
        if (getIndex() > 0 && getIndex() < getListView().getItems().size()) {
            LogEntry before = getListView().getItems().get(getIndex() - 1);
            if (before.number() != entry.number() - 1) {
                // Lines hidden by the filter (or evicted) lie between these two.
                getStyleClass().add(GAP);
            }
        }
        List<Node> children = new ArrayList<>(3);
        String pod = model.prefixOf(entry);
        if (!pod.isEmpty()) {
            if (prefixClass != null) {
                prefix.getStyleClass().remove(prefixClass);
            }
            prefixClass = LogSources.colourClass(entry.source());
            prefix.getStyleClass().add(prefixClass);
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
        flow.getChildren().setAll(children);
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

    private static Text segment(String s) {
        Text t = new Text(s);
        t.getStyleClass().add(TEXT);
        return t;
    }
}
