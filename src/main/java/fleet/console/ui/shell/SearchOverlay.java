package fleet.console.ui.shell;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The search box (Ctrl+F): type, pick a result with the arrows, Enter goes there. */
final class SearchOverlay {

    private final QuickSearch search;
    private final VBox card = new VBox(8);
    private final TextField field = new TextField();
    private final ListView<QuickSearch.Result> results = new ListView<>();
    private Runnable close = () -> {
    };

    SearchOverlay(QuickSearch search) {
        this.search = search;
        card.setId("searchOverlay");
        card.getStyleClass().add("overlay-card");
        card.setPadding(new Insets(14, 16, 14, 16));
        card.setPrefWidth(560);
        field.setId("searchField");
        field.setPromptText("Search areas, workloads and commands");
        results.setId("searchResults");
        results.setPrefHeight(300);
        results.setCellFactory(list -> new ResultCell());
        field.textProperty().addListener((o, old, now) -> update());
        field.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.UP) {
                int at = results.getSelectionModel().getSelectedIndex() + (e.getCode() == KeyCode.DOWN ? 1 : -1);
                if (at >= 0 && at < results.getItems().size()) {
                    results.getSelectionModel().select(at);
                    results.scrollTo(at);
                }
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER) {
                go(results.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        results.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                go(results.getSelectionModel().getSelectedItem());
            }
        });
        Label hint = new Label("Enter goes to the result, the arrows choose, Esc closes.");
        hint.getStyleClass().add("overlay-hint");
        card.getChildren().addAll(field, results, hint);
    }

    /** Empties the box for a new search; {@code close} closes the overlay once a result was chosen. */
    VBox card(Runnable close) {
        this.close = close;
        field.clear();
        update();
        return card;
    }

    TextField field() {
        return field;
    }

    private void update() {
        results.getItems().setAll(search.find(field.getText()));
        if (!results.getItems().isEmpty()) {
            results.getSelectionModel().select(0);
        }
    }

    private void go(QuickSearch.Result result) {
        if (result == null) {
            return;
        }
        close.run();
        result.action().run();
    }

    private static final class ResultCell extends ListCell<QuickSearch.Result> {
        private final Label kind = new Label();
        private final Label title = new Label();
        private final Label detail = new Label();
        private final HBox box;

        ResultCell() {
            kind.getStyleClass().add("search-kind");
            kind.setMinWidth(76);
            title.getStyleClass().add("search-title");
            detail.getStyleClass().add("search-detail");
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            box = new HBox(8, kind, title, gap, detail);
        }

        @Override
        protected void updateItem(QuickSearch.Result item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
            } else {
                kind.setText(item.kind().label());
                title.setText(item.title());
                detail.setText(item.detail());
                setGraphic(box);
            }
        }
    }
}
