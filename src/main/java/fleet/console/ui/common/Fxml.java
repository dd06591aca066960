package fleet.console.ui.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;

/** Loads the FXML views of fxml/ with controllers made by their callers (each view gets its view-model). */
public final class Fxml {

    private Fxml() {
    }

    public static Parent load(String resource, Callback<Class<?>, Object> controllers) {
        URL url = Objects.requireNonNull(Fxml.class.getResource(resource), resource + " is not on the class path");
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(controllers);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A view whose FXML names exactly one controller: this one. */
    public static Parent load(String resource, Object controller) {
        return load(resource, type -> {
            if (type.isInstance(controller)) {
                return controller;
            }
            throw new IllegalArgumentException(resource + " names an unexpected controller " + type);
        });
    }
}
