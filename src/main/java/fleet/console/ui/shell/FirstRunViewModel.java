package fleet.console.ui.shell;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.List;

/**
 * The welcome view of a first run: what each area is for, and the first choice, a context of the
 * kubeconfig or the sandbox. Nothing is connected until the operator chooses; closing the view leaves
 * the window idle with its connection bar, which does the same.
 */
public final class FirstRunViewModel {

    private final MainViewModel model;
    private final BooleanProperty showing = new SimpleBooleanProperty(this, "showing");
    private final ObservableList<String> contexts = FXCollections.observableArrayList();
    private final ObjectProperty<String> chosenContext = new SimpleObjectProperty<>(this, "chosenContext");
    private final ReadOnlyStringWrapper contextsNote = new ReadOnlyStringWrapper(this, "contextsNote");
    private final BooleanBinding canConnect;

    public FirstRunViewModel(MainViewModel model) {
        this.model = model;
        showing.set(model.options().firstRun());
        model.targets().addListener((ListChangeListener<ConnectionTarget>) c -> readContexts());
        readContexts();
        canConnect = Bindings.createBooleanBinding(() -> chosenContext.get() != null && contexts.contains(chosenContext.get()),
                chosenContext, contexts);
    }

    private void readContexts() {
        List<String> names = model.targets().stream().filter(t -> !t.sandbox()).map(ConnectionTarget::context).toList();
        if (!names.equals(contexts)) {
            contexts.setAll(names);
        }
        if ((chosenContext.get() == null || !contexts.contains(chosenContext.get())) && !contexts.isEmpty()) {
            chosenContext.set(contexts.get(0));
        }
        contextsNote.set(contexts.isEmpty()
                ? "No contexts found in " + model.kubeconfig() + ". The sandbox needs none; add a cluster with "
                        + "kubectl config or set KUBECONFIG, then restart."
                : "From " + model.kubeconfig() + " (" + contexts.size() + (contexts.size() == 1 ? " context" : " contexts")
                        + "). Mark a production context in the Console menu once connected.");
    }

    /** True while the welcome view is shown. */
    public BooleanProperty showingProperty() {
        return showing;
    }

    public boolean isShowing() {
        return showing.get();
    }

    /** The kubeconfig's contexts (the sandbox is offered apart). */
    public ObservableList<String> contexts() {
        return contexts;
    }

    public ObjectProperty<String> chosenContextProperty() {
        return chosenContext;
    }

    /** Where the contexts come from, or why there are none. */
    public ReadOnlyStringProperty contextsNoteProperty() {
        return contextsNote.getReadOnlyProperty();
    }

    public BooleanBinding canConnectProperty() {
        return canConnect;
    }

    /** Connects to the chosen context and closes the view. */
    public void connectToContext() {
        if (!canConnect.get()) {
            return;
        }
        showing.set(false);
        model.chooseTarget(ConnectionTarget.context(chosenContext.get()));
    }

    /** Starts the embedded sandbox, connects to it and closes the view. */
    public void openSandbox() {
        showing.set(false);
        model.chooseTarget(ConnectionTarget.SANDBOX);
    }

    /** Help > Welcome. */
    public void show() {
        showing.set(true);
    }

    /** Closed without a choice: the connection bar is there for later. */
    public void close() {
        showing.set(false);
    }
}
