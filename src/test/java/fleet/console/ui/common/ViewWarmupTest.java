package fleet.console.ui.common;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up builds every view of fxml/ without its controller, off the FX thread: a view whose FXML
 * stopped loading that way (a handler named in the FXML, say) would silently go unwarmed, and its first
 * visit would freeze the window again.
 */
@ExtendWith(ApplicationExtension.class)
class ViewWarmupTest {

    @Test
    void everyViewLoadsWithoutItsControllerOffTheFxThread() throws IOException {
        List<Path> views;
        try (Stream<Path> files = Files.walk(Path.of("fxml"))) {
            views = files.filter(f -> f.toString().endsWith(".fxml")).sorted().toList();
        }
        assertThat(views).isNotEmpty();
        for (Path view : views) {
            Parent built = ViewWarmup.throwaway("/" + view.toString().replace('\\', '/'));
            assertThat(built).as(view.toString()).isNotNull();
        }
    }

    @Test
    void aViewIsTakenApartIntoPiecesThatEachStandAlone() throws IOException {
        Parent pods = ViewWarmup.throwaway("/fxml/pods/pods.fxml");
        List<Node> pieces = new ArrayList<>();
        ViewWarmup.split(pods, pieces);

        assertThat(pieces).hasSizeGreaterThan(10);
        // Each piece can be put in a scene by itself: none is still inside another.
        assertThat(pieces).allSatisfy(piece -> assertThat(piece.getParent()).as(String.valueOf(piece)).isNull());
        assertThat(pieces).anySatisfy(piece -> assertThat(piece).isInstanceOf(TableView.class));
    }
}
