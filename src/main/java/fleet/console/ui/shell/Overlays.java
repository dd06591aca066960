package fleet.console.ui.shell;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/**
 * The layer above the main window where the welcome view, the shortcut list and the search appear,
 * one at a time, over a dimmed window. Esc, or a click on the dimmed part, closes the one shown.
 */
public final class Overlays {

    private final StackPane layers;
    private final StackPane scrim = new StackPane();
    private Node shown;
    private Runnable onClose = () -> {
    };

    Overlays(StackPane layers) {
        this.layers = layers;
        scrim.getStyleClass().add("overlay-scrim");
        scrim.setId("overlay");
        scrim.setAlignment(Pos.CENTER);
        scrim.setOnMouseClicked(e -> {
            if (e.getTarget() == scrim) {
                close();
            }
        });
        scrim.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                close();
                e.consume();
            }
        });
    }

    /**
     * Shows {@code card} (replacing any other) and gives {@code focus} the keyboard.
     *
     * @param closed runs when the card is closed by Esc, a click beside it, or {@link #close()}
     */
    void show(Node card, Node focus, Runnable closed) {
        if (shown != null && shown != card) {
            Runnable previous = onClose;
            onClose = () -> {
            };
            previous.run();
        }
        shown = card;
        onClose = closed;
        if (card instanceof Region region) {
            region.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        }
        scrim.getChildren().setAll(card);
        if (!layers.getChildren().contains(scrim)) {
            layers.getChildren().add(scrim);
        }
        (focus != null ? focus : card).requestFocus();
    }

    /** Closes what is shown, if anything. */
    void close() {
        if (shown == null) {
            return;
        }
        shown = null;
        scrim.getChildren().clear();
        layers.getChildren().remove(scrim);
        Runnable closed = onClose;
        onClose = () -> {
        };
        closed.run();
        if (!layers.getChildren().isEmpty()) {
            layers.getChildren().get(0).requestFocus();
        }
    }

    boolean isShowing(Node card) {
        return shown == card;
    }

    boolean isAnyShowing() {
        return shown != null;
    }
}
