package fleet.console.ui.common;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.Scene;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table over a sorted list, as the Pods area has: a row replaced where it stands shows its new text
 * without the other rows being drawn again, and the selection stays on it; additions, removals and a
 * new order still reach the table.
 */
@ExtendWith(ApplicationExtension.class)
class InPlaceUpdatesTest {

    record Item(String id, String text) {
    }

    private final ObservableList<Item> source = FXCollections.observableArrayList();
    private final List<Item> drawn = new ArrayList<>();
    private TableView<Item> table;

    @Start
    void start(Stage stage) {
        for (int i = 0; i < 200; i++) {
            source.add(new Item(String.format("pod-%03d", i), "Running " + i));
        }
        SortedList<Item> sorted = new SortedList<>(source, Comparator.comparing(Item::id));
        table = new TableView<>(new InPlaceUpdates<>(sorted));
        TableColumn<Item, String> text = new TableColumn<>("Status");
        text.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().text()));
        table.getColumns().add(text);
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(Item item, boolean empty) {
                super.updateItem(item, empty);
                if (!empty && item != null) {
                    drawn.add(item);
                }
            }
        });
        stage.setScene(new Scene(table, 400, 400));
        stage.show();
    }

    @Test
    void aRowReplacedWhereItStandsIsRedrawnAloneAndKeepsTheSelection(FxRobot robot) {
        robot.interact(() -> table.getSelectionModel().select(5));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(drawn::clear);

        robot.interact(() -> source.set(5, new Item("pod-005", "CrashLoopBackOff")));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(shownText(robot, 5)).contains("CrashLoopBackOff");
        assertThat(drawn).as("rows drawn again after one row changed").extracting(Item::id).containsOnly("pod-005");
        assertThat(table.getSelectionModel().getSelectedIndex()).isEqualTo(5);

        // A row that moves, a new one, one that leaves: the table follows its source.
        robot.interact(() -> {
            source.set(7, new Item("pod-000a", "Pending"));
            source.add(new Item("pod-0000", "ContainerCreating"));
            source.remove(1);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems()).hasSize(200);
        assertThat(table.getItems().subList(0, 3)).extracting(Item::id).containsExactly("pod-000", "pod-0000", "pod-000a");
        assertThat(shownText(robot, 1)).contains("ContainerCreating");
        assertThat(shownText(robot, 2)).contains("Pending");
        assertThat(table.getItems()).extracting(Item::id).doesNotContain("pod-001", "pod-007");
    }

    private static String shownText(FxRobot robot, int row) {
        Optional<String> text = robot.lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getIndex() == row && c.isVisible() && c.getText() != null)
                .map(TableCell::getText).findFirst();
        return text.orElse("(row " + row + " not drawn)");
    }
}
