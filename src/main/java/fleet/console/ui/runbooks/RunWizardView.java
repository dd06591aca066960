package fleet.console.ui.runbooks;

import fleet.console.runbook.RunEvent;
import fleet.console.ui.common.ActionPermits;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.logs.LogView;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * FXML controller of fxml/runbooks/run-wizard.fxml: binds one runbook's plan and run to its
 * {@link RunWizardViewModel}. Each step shows its state as icon, colour and words, its number, title and
 * elapsed time; the chosen step's why, what it does, its commands (copyable) and its log tail.
 */
public final class RunWizardView {

    private static final Logger LOG = Logger.getLogger(RunWizardView.class.getName());

    private final RunWizardViewModel model;
    private final Timeline clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));

    @FXML
    private VBox root;
    @FXML
    private Label titleLabel;
    @FXML
    private StatusBadge outcomeBadge;
    @FXML
    private Label progressLabel;
    @FXML
    private Label descriptionLabel;
    @FXML
    private VBox destroysBox;
    @FXML
    private Label destroysLabel;
    @FXML
    private Label confirmPrompt;
    @FXML
    private TextField confirmField;
    @FXML
    private HBox productionBox;
    @FXML
    private Label productionPrompt;
    @FXML
    private TextField productionField;
    @FXML
    private Label noticeLabel;
    @FXML
    private Label refusalLabel;
    @FXML
    private Label podLogLabel;
    @FXML
    private StackPane podLogPane;
    @FXML
    private Button runButton;
    @FXML
    private Button cancelButton;
    @FXML
    private Button retryButton;
    @FXML
    private Button abandonButton;
    @FXML
    private Button copyScriptButton;
    @FXML
    private Label problemLabel;
    @FXML
    private Label messageLabel;
    @FXML
    private ListView<StepItem> stepList;
    @FXML
    private Label stepTitleLabel;
    @FXML
    private Label stepWhyLabel;
    @FXML
    private Label stepDoesLabel;
    @FXML
    private Label stepDetailLabel;
    @FXML
    private Button copyStepButton;
    @FXML
    private TextArea stepCommandsArea;
    @FXML
    private StackPane logPane;

    private final ChangeListener<String> detailListener = (o, old, now) -> stepDetailLabel.setText(now);

    public RunWizardView(RunWizardViewModel model) {
        this.model = model;
        clock.setCycleCount(Timeline.INDEFINITE);
    }

    @FXML
    private void initialize() {
        titleLabel.textProperty().bind(model.titleProperty());
        descriptionLabel.textProperty().bind(model.descriptionProperty());
        progressLabel.textProperty().bind(model.progressProperty());
        showWhenText(problemLabel, model.problemProperty());
        showWhenText(messageLabel, model.messageProperty());
        root.visibleProperty().bind(model.phaseProperty().isNotEqualTo(RunWizardViewModel.Phase.EMPTY)
                .or(model.problemProperty().isNotEmpty()));

        destroysLabel.textProperty().bind(Bindings.concat("This destroys: ", model.destroysProperty(), "."));
        destroysBox.visibleProperty().bind(model.destroysProperty().isNotEmpty()
                .and(model.phaseProperty().isEqualTo(RunWizardViewModel.Phase.PLANNED)));
        destroysBox.managedProperty().bind(destroysBox.visibleProperty());
        confirmPrompt.textProperty().bind(Bindings.createStringBinding(
                () -> "Type " + model.expectedConfirmation() + " to enable Run:", model.runbookNameProperty(), model.destroysProperty()));
        confirmField.textProperty().bindBidirectional(model.confirmationProperty());
        // On production a destructive run asks twice: the second question, naming the context, opens once
        // the first is answered.
        productionBox.visibleProperty().bind(model.productionAskedBinding());
        productionBox.managedProperty().bind(productionBox.visibleProperty());
        productionField.disableProperty().bind(model.firstConfirmedBinding().not());
        productionPrompt.textProperty().bind(Bindings.createStringBinding(model::productionQuestion,
                model.contextNameProperty(), model.runbookNameProperty()));
        productionField.textProperty().bindBidirectional(model.productionConfirmationProperty());

        ActionPermits.guard(runButton, model.runRefusalProperty(), model.canRunBinding().not(),
                "Run the plan step by step (Ctrl+Enter)");
        runButton.setOnAction(e -> model.run());
        // A disabled button shows no tooltip: the reason is also said in words beside it.
        refusalLabel.textProperty().bind(Bindings.createStringBinding(() -> model.runRefusalProperty().get() == null ? ""
                : "Run is disabled: " + model.runRefusalProperty().get(), model.runRefusalProperty()));
        refusalLabel.visibleProperty().bind(model.runRefusalProperty().isNotNull()
                .and(model.phaseProperty().isNotEqualTo(RunWizardViewModel.Phase.EMPTY)));
        refusalLabel.managedProperty().bind(refusalLabel.visibleProperty());
        cancelButton.disableProperty().bind(model.phaseProperty().isNotEqualTo(RunWizardViewModel.Phase.RUNNING)
                .or(model.cancellingProperty()));
        cancelButton.setOnAction(e -> model.cancel());
        retryButton.disableProperty().bind(model.canRetryBinding().not());
        retryButton.setOnAction(e -> model.retry());
        abandonButton.disableProperty().bind(model.canRetryBinding().not());
        abandonButton.setOnAction(e -> model.abandon());
        copyScriptButton.disableProperty().bind(Bindings.isEmpty(model.steps()));
        copyScriptButton.setOnAction(e -> copy(model.script()));

        model.outcomeProperty().addListener((o, old, now) -> showOutcome(now));
        model.phaseProperty().addListener((o, old, now) -> {
            showOutcome(model.getOutcome());
            if (now == RunWizardViewModel.Phase.RUNNING) {
                noticeLabel.setVisible(false);
                noticeLabel.setManaged(false);
                clock.play();
            } else {
                clock.stop();
                tick();
            }
        });
        showOutcome(null);

        stepList.setItems(model.steps());
        stepList.setCellFactory(l -> new StepCell());
        stepList.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (now != null && now != model.shownStepProperty().get()) {
                model.showStep(now);
            }
        });
        model.shownStepProperty().addListener((o, old, now) -> showStep(old, now));
        copyStepButton.setOnAction(e -> copy(stepCommandsArea.getText()));

        Node log = LogView.create(model.log());
        logPane.getChildren().setAll(log);
        podLogPane.getChildren().setAll(LogView.create(model.podLog()));
        podLogLabel.textProperty().bind(Bindings.createStringBinding(() -> model.podLog().titleProperty().get().isEmpty()
                ? "Pods this step touches" : model.podLog().titleProperty().get(), model.podLog().titleProperty()));

        noticeLabel.setVisible(false);
        noticeLabel.setManaged(false);
        model.notificationProperty().addListener((o, old, now) -> notifyEnd(now));
        root.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((w, was, window) -> followFocus(window));
                followFocus(scene.getWindow());
            }
        });

        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown() && model.canRunBinding().get()) {
                model.run();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE && model.getPhase() == RunWizardViewModel.Phase.RUNNING) {
                model.cancel();
                e.consume();
            }
        });
    }

    private void followFocus(javafx.stage.Window window) {
        model.windowFocusedProperty().unbind();
        if (window != null) {
            model.windowFocusedProperty().bind(window.focusedProperty());
        } else {
            model.windowFocusedProperty().set(true);
        }
    }

    /**
     * A long run ended: a desktop notification (ControlsFX, over the window's corner) and the same words
     * in the wizard, which stay when no notification can be shown (no screen, headless).
     */
    private void notifyEnd(RunWizardViewModel.RunNotice notice) {
        if (notice == null) {
            return;
        }
        noticeLabel.setText(notice.text());
        noticeLabel.setVisible(true);
        noticeLabel.setManaged(true);
        javafx.stage.Window owner = root.getScene() == null ? null : root.getScene().getWindow();
        if (owner == null || !owner.isShowing()) {
            return;
        }
        try {
            Notifications n = Notifications.create().title(notice.title()).text(notice.text()).owner(owner)
                    .hideAfter(Duration.seconds(15)).position(javafx.geometry.Pos.BOTTOM_RIGHT);
            n.getStyleClass().add("run-notification");
            switch (notice.outcome()) {
                case SUCCEEDED -> n.showInformation();
                case FAILED -> n.showError();
                default -> n.showWarning();
            }
        } catch (RuntimeException e) {
            // No notification popup on this platform: the words stay in the wizard.
            LOG.log(Level.FINE, "Desktop notification not shown", e);
        }
    }

    private void tick() {
        model.tick();
    }

    private void showOutcome(RunEvent.Outcome outcome) {
        RunWizardViewModel.Phase phase = model.getPhase();
        if (phase == RunWizardViewModel.Phase.RUNNING) {
            outcomeBadge.show(Severity.BUSY, "Running");
        } else if (phase == RunWizardViewModel.Phase.PLANNING) {
            outcomeBadge.show(Severity.BUSY, "Planning");
        } else if (outcome == null) {
            outcomeBadge.show(Severity.IDLE, phase == RunWizardViewModel.Phase.PLANNED ? "Planned: nothing changed yet" : "");
        } else {
            switch (outcome) {
                case SUCCEEDED -> outcomeBadge.show(Severity.OK, "Succeeded");
                case FAILED -> outcomeBadge.show(Severity.PROBLEM, "Failed");
                case CANCELLED -> outcomeBadge.show(Severity.WARNING, "Cancelled");
                case ABANDONED -> outcomeBadge.show(Severity.WARNING, "Abandoned");
            }
        }
        outcomeBadge.setVisible(!outcomeBadge.getText().isEmpty());
    }

    private void showStep(StepItem old, StepItem now) {
        if (old != null) {
            old.detailProperty().removeListener(detailListener);
        }
        if (now == null) {
            stepTitleLabel.setText("");
            stepWhyLabel.setText("");
            stepDoesLabel.setText("");
            stepDetailLabel.setText("");
            stepCommandsArea.setText("");
            return;
        }
        stepTitleLabel.setText(now.number() + ". " + now.title());
        stepWhyLabel.setText("Why: " + now.why());
        stepDoesLabel.setText("It will: " + now.does());
        stepDetailLabel.setText(now.getDetail());
        now.detailProperty().addListener(detailListener);
        stepCommandsArea.setText(String.join("\n", now.commands()));
        if (stepList.getSelectionModel().getSelectedItem() != now) {
            stepList.getSelectionModel().select(now);
            stepList.scrollTo(now);
        }
    }

    private static void showWhenText(Label label, javafx.beans.value.ObservableStringValue text) {
        label.textProperty().bind(text);
        label.visibleProperty().bind(Bindings.createBooleanBinding(() -> text.get() != null && !text.get().isEmpty(), text));
        label.managedProperty().bind(label.visibleProperty());
    }

    private static void copy(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** A step: its state as icon, colour and words, its number and title, its elapsed time, what it does now. */
    private static final class StepCell extends ListCell<StepItem> {
        private final StatusBadge badge = new StatusBadge();
        private final Label title = new Label();
        private final Label elapsed = new Label();
        private final Label detail = new Label();
        private final HBox line = new HBox(8);
        private final VBox box = new VBox(2, line, detail);
        private StepItem bound;
        private final ChangeListener<Object> refresh = (o, old, now) -> show();

        StepCell() {
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            badge.setMinWidth(110);
            badge.getStyleClass().add("step-state");
            elapsed.getStyleClass().add("step-elapsed");
            detail.getStyleClass().add("step-detail");
            title.getStyleClass().add("step-title");
            line.getChildren().setAll(badge, title, spacer, elapsed);
            getStyleClass().add("step-cell");
        }

        @Override
        protected void updateItem(StepItem item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                bound.stateProperty().removeListener(refresh);
                bound.elapsedProperty().removeListener(refresh);
                bound.detailProperty().removeListener(refresh);
            }
            bound = empty ? null : item;
            if (bound == null) {
                setGraphic(null);
                setText(null);
                setId(null);
                getStyleClass().removeIf(c -> c.startsWith("step-") && !c.equals("step-cell"));
                return;
            }
            bound.stateProperty().addListener(refresh);
            bound.elapsedProperty().addListener(refresh);
            bound.detailProperty().addListener(refresh);
            show();
            setGraphic(box);
        }

        private void show() {
            StepItem item = bound;
            if (item == null) {
                return;
            }
            StepState state = item.getState();
            badge.show(state.severity(), state.words());
            title.setText(item.number() + ". " + item.title());
            elapsed.setText(item.getElapsed());
            String d = item.getDetail();
            String first = d == null ? "" : d.lines().findFirst().orElse("");
            detail.setText(first);
            detail.setVisible(!first.isEmpty());
            detail.setManaged(!first.isEmpty());
            getStyleClass().removeIf(c -> c.startsWith("step-") && !c.equals("step-cell"));
            getStyleClass().add(state.styleClass());
            setId("step-" + item.id());
        }
    }
}
