package fleet.console.ui.nats;

import fleet.console.ui.common.AreaKey;
import fleet.console.messaging.ConsumerHealth;
import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.ConsumerSamples;
import fleet.console.messaging.StoredMessage;
import fleet.console.messaging.StreamDrift;
import fleet.console.messaging.StreamRow;
import fleet.console.ui.common.ActionPermits;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.transformation.SortedList;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** FXML controller of fxml/nats/nats.fxml: binds the NATS area to its view-model, nothing more. */
public final class NatsView {

    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination PUBLISH = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination LAST_MESSAGES = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination GO_TO_POD = new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN);

    /** The keys the NATS area handles, for the help overlay (the same objects the handler matches). */
    public static final List<AreaKey> KEYS = List.of(
            new AreaKey(FIND, "Filter the streams or consumers"),
            new AreaKey(LAST_MESSAGES, "The selected stream's last messages"),
            new AreaKey(GO_TO_POD, "Go to the pods of the consumer's service"),
            new AreaKey(PUBLISH, "Send the test publish (Publish tab)"));

    private final NatsViewModel model;
    private final Clock clock = Clock.systemDefaultZone();

    @FXML
    private VBox root;
    @FXML
    private ComboBox<String> sourceChooser;
    @FXML
    private TextField urlField;
    @FXML
    private Button refreshButton;
    @FXML
    private StatusBadge connectionBadge;
    @FXML
    private Label adviceLabel;
    @FXML
    private Label summaryLabel;
    @FXML
    private StatusBadge actionBadge;
    @FXML
    private Label permitsLabel;
    @FXML
    private ProgressBar actionProgress;
    @FXML
    private Button goToPodButton;
    @FXML
    private VBox chartBox;
    @FXML
    private Label chartTitleLabel;
    @FXML
    private Button recreateButton;
    @FXML
    private TabPane tabs;
    @FXML
    private Tab streamsTab;
    @FXML
    private Tab consumersTab;
    @FXML
    private Tab publishTab;
    @FXML
    private Tab messagesTab;
    @FXML
    private TextField streamFilter;
    @FXML
    private Button copyStreamsButton;
    @FXML
    private TableView<StreamRow> streamTable;
    @FXML
    private Label streamTitle;
    @FXML
    private Button lastMessagesButton;
    @FXML
    private Button copyConsumersButton;
    @FXML
    private Button purgeButton;
    @FXML
    private Button deleteStreamButton;
    @FXML
    private TableView<ConsumerHealth> streamConsumerTable;
    @FXML
    private TextField consumerFilter;
    @FXML
    private CheckBox staleOnlyBox;
    @FXML
    private Button deleteConsumerButton;
    @FXML
    private Button copyConsumerButton;
    @FXML
    private Label consumersSummaryLabel;
    @FXML
    private TableView<ConsumerHealth> consumerTable;
    @FXML
    private StatusBadge driftBadge;
    @FXML
    private TableView<StreamDrift.Row> driftTable;
    @FXML
    private TextField subjectField;
    @FXML
    private TextArea payloadArea;
    @FXML
    private Button publishButton;
    @FXML
    private Button copyPublishButton;
    @FXML
    private StatusBadge publishBadge;
    @FXML
    private TextField messagesSubjectField;
    @FXML
    private Button readMessagesButton;
    @FXML
    private Button copyMessagesButton;
    @FXML
    private Label messagesTitleLabel;
    @FXML
    private TableView<StoredMessage> messageTable;
    @FXML
    private TextArea messageBody;

    private final Label streamsEmpty = new Label();
    private final XYChart.Series<Number, Number> unprocessedSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> ackPendingSeries = new XYChart.Series<>();
    private Dialog<ButtonType> dialog;

    public NatsView(NatsViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        bindHeader();
        bindStreams();
        bindConsumers();
        bindDrift();
        bindPublish();
        bindMessages();
        model.pendingConfirmationProperty().addListener((o, old, now) -> {
            if (now != null) {
                showConfirmation(now);
            } else if (dialog != null) {
                Dialog<ButtonType> open = dialog;
                dialog = null;
                open.close();
            }
        });
        root.setOnKeyPressed(e -> {
            if (FIND.match(e)) {
                (tabs.getSelectionModel().getSelectedItem() == consumersTab ? consumerFilter : streamFilter).requestFocus();
                if (tabs.getSelectionModel().getSelectedItem() != consumersTab) {
                    tabs.getSelectionModel().select(streamsTab);
                }
                e.consume();
            } else if (PUBLISH.match(e) && tabs.getSelectionModel().getSelectedItem() == publishTab) {
                model.publish();
                e.consume();
            } else if (LAST_MESSAGES.match(e)) {
                lastMessages();
                e.consume();
            } else if (GO_TO_POD.match(e)) {
                goToPod();
                e.consume();
            }
        });
    }

    private void bindHeader() {
        sourceChooser.setItems(model.sources());
        sourceChooser.getSelectionModel().select(NatsViewModel.CLUSTER_SOURCE);
        sourceChooser.setOnAction(e -> {
            String chosen = sourceChooser.getValue();
            if (chosen != null) {
                model.useSource(chosen);
            }
        });
        urlField.setOnAction(e -> model.useUrl(urlField.getText()));
        refreshButton.setOnAction(e -> model.refresh());
        connectionBadge.severityProperty().bind(model.connectionSeverityProperty());
        connectionBadge.textProperty().bind(model.connectionTextProperty());
        adviceLabel.textProperty().bind(model.adviceProperty());
        summaryLabel.textProperty().bind(model.summaryProperty());
        actionBadge.severityProperty().bind(model.actionSeverityProperty());
        actionBadge.textProperty().bind(model.actionResultProperty());
        actionBadge.visibleProperty().bind(model.actionResultProperty().isNotEmpty());
        actionBadge.managedProperty().bind(actionBadge.visibleProperty());
        permitsLabel.textProperty().bind(model.permits().summaryProperty());
        permitsLabel.visibleProperty().bind(model.permits().summaryProperty().isNotNull());
        permitsLabel.managedProperty().bind(permitsLabel.visibleProperty());
        actionProgress.progressProperty().bind(model.actionProgressProperty());
        actionProgress.visibleProperty().bind(model.actionProgressProperty().greaterThanOrEqualTo(0));
        actionProgress.managedProperty().bind(actionProgress.visibleProperty());
    }

    private void bindStreams() {
        streamFilter.textProperty().bindBidirectional(model.streamFilterProperty());
        SortedList<StreamRow> sorted = new SortedList<>(model.streams());
        sorted.comparatorProperty().bind(streamTable.comparatorProperty());
        streamTable.setItems(sorted);
        streamsEmpty.textProperty().bind(Bindings.when(model.loadedProperty())
                .then("No streams match. The nats-clean-slate runbook creates the declared ones.")
                .otherwise(model.summaryProperty()));
        streamsEmpty.setWrapText(true);
        streamTable.setPlaceholder(streamsEmpty);
        streamTable.getColumns().setAll(java.util.List.of(
                text("Stream", 170, StreamRow::name),
                text("Subjects", 180, s -> String.join(", ", s.subjects())),
                text("Retention", 80, StreamRow::retention),
                text("Storage", 70, StreamRow::storage),
                number("Replicas", 70, s -> (long) s.replicas()),
                number("Messages", 90, StreamRow::messages),
                sized("Bytes", 80, StreamRow::bytes, NatsFormat::bytes),
                number("First seq", 80, StreamRow::firstSequence),
                text("First time", 150, s -> NatsFormat.when(s.firstTime(), clock)),
                number("Last seq", 80, StreamRow::lastSequence),
                text("Last time", 150, s -> NatsFormat.when(s.lastTime(), clock)),
                number("Consumers", 80, StreamRow::consumers),
                text("Max age", 70, s -> NatsFormat.age(s.maxAge())),
                text("Max msgs", 90, s -> NatsFormat.limit(s.maxMsgs())),
                text("Max bytes", 90, s -> s.maxBytes() < 0 ? "none" : NatsFormat.bytes(s.maxBytes())),
                text("Discard", 70, StreamRow::discard)));
        streamTable.getColumns().get(0).setId("streamNameColumn");
        streamTable.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (now != null) {
                model.selectedStreamProperty().set(now.name());
            }
        });
        // The rows are replaced when the numbers change; the selection follows the stream's name.
        streamTable.getItems().addListener((javafx.collections.ListChangeListener<StreamRow>) c -> reselect());
        model.selectedStreamProperty().addListener((o, old, now) -> reselect());

        streamTitle.textProperty().bind(Bindings.createStringBinding(() -> model.selectedStreamProperty().get() == null
                ? "Choose a stream to see its consumers and act on it."
                : "Consumers of " + model.selectedStreamProperty().get(), model.selectedStreamProperty()));
        var none = model.selectedStreamProperty().isNull();
        for (Button b : new Button[] {lastMessagesButton, copyConsumersButton}) {
            b.disableProperty().bind(none);
        }
        NatsPermits permits = model.permits();
        ActionPermits.guard(purgeButton, permits.refusal(NatsPermits.PURGE), none,
                "Destroys every message of the stream; says how many first.");
        ActionPermits.guard(deleteStreamButton, permits.refusal(NatsPermits.DELETE_STREAM), none,
                "Destroys the stream, its messages and its consumers; the name is typed back to confirm.");
        copyStreamsButton.setOnAction(e -> copy(model.commands().streams()));
        copyConsumersButton.setOnAction(e -> copy(model.commands().consumers(model.selectedStreamProperty().get())));
        lastMessagesButton.setOnAction(e -> lastMessages());
        purgeButton.setOnAction(e -> model.requestPurge(model.selectedStreamProperty().get()));
        deleteStreamButton.setOnAction(e -> model.requestDeleteStream(model.selectedStreamProperty().get()));
        configureConsumerTable(streamConsumerTable, model.streamConsumers(), false);
        streamConsumerTable.setPlaceholder(new Label("No consumers on this stream."));
        followConsumerSelection(streamConsumerTable);
    }

    private void reselect() {
        String wanted = model.selectedStreamProperty().get();
        StreamRow shown = streamTable.getSelectionModel().getSelectedItem();
        if (wanted == null || (shown != null && shown.name().equals(wanted))) {
            return;
        }
        streamTable.getItems().stream().filter(s -> s.name().equals(wanted)).findFirst()
                .ifPresent(s -> streamTable.getSelectionModel().select(s));
    }

    private void bindConsumers() {
        consumerFilter.textProperty().bindBidirectional(model.consumerFilterProperty());
        staleOnlyBox.selectedProperty().bindBidirectional(model.staleOnlyProperty());
        consumersSummaryLabel.textProperty().bind(model.consumersSummaryProperty());
        configureConsumerTable(consumerTable, model.allConsumers(), true);
        consumerTable.setPlaceholder(new Label("No consumers match."));
        var none = consumerTable.getSelectionModel().selectedItemProperty().isNull();
        ActionPermits.guard(deleteConsumerButton, model.permits().refusal(NatsPermits.DELETE_CONSUMER), none,
                "Forgets the consumer's position; says how many messages it had pending first.");
        copyConsumerButton.disableProperty().bind(none);
        followConsumerSelection(consumerTable);
        goToPodButton.disableProperty().bind(model.selectedConsumerProperty().isNull());
        goToPodButton.setTooltip(new Tooltip("Opens the Pods area on the pods of the service that owns this consumer (Ctrl+G)."));
        goToPodButton.setOnAction(e -> goToPod());
        buildChart();
        deleteConsumerButton.setOnAction(e -> {
            ConsumerHealth h = consumerTable.getSelectionModel().getSelectedItem();
            if (h != null) {
                model.requestDeleteConsumer(h.consumer().stream(), h.consumer().durable());
            }
        });
        copyConsumerButton.setOnAction(e -> {
            ConsumerHealth h = consumerTable.getSelectionModel().getSelectedItem();
            if (h != null) {
                copy(model.commands().consumerInfo(h.consumer().stream(), h.consumer().durable()));
            }
        });
    }

    private void configureConsumerTable(TableView<ConsumerHealth> table, javafx.collections.ObservableList<ConsumerHealth> rows,
                                        boolean withStream) {
        SortedList<ConsumerHealth> sorted = new SortedList<>(rows);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        TableColumn<ConsumerHealth, ConsumerHealth> state = new TableColumn<>("State");
        state.setPrefWidth(260);
        state.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        state.setCellFactory(c -> new ConsumerStateCell());
        state.setComparator(Comparator.comparing((ConsumerHealth h) -> !h.stale()).thenComparing(ConsumerHealth::verdict));
        table.getColumns().add(state);
        if (withStream) {
            table.getColumns().add(ctext("Stream", 140, c -> c.consumer().stream()));
        }
        table.getColumns().addAll(java.util.List.of(
                ctext("Consumer", 220, c -> c.consumer().durable()),
                ctext("Owner", 110, c -> c.owner().orElse("-")),
                ctext("Kind", 50, c -> c.consumer().ephemeral() ? (c.consumer().push() ? "push, ephemeral" : "pull, ephemeral")
                        : c.consumer().push() ? "push" : "pull"),
                ctext("Deliver subject", 140, c -> c.consumer().deliverSubject()),
                ctext("Deliver group", 100, c -> c.consumer().deliverGroup()),
                ctext("Filter", 160, c -> String.join(", ", c.consumer().filterSubjects())),
                ctext("Ack policy", 75, c -> c.consumer().ackPolicy()),
                cnumber("Unprocessed", 90, c -> c.consumer().unprocessed()),
                cnumber("Ack pending", 85, c -> c.consumer().ackPending()),
                cnumber("Redelivered", 85, c -> c.consumer().redelivered()),
                cnumber("Waiting pulls", 90, c -> c.consumer().waiting()),
                ctext("Push bound", 80, c -> c.consumer().push() ? (c.consumer().bound() ? "yes" : "no") : "-"),
                ctext("Last delivered", 170, c -> seqAndWhen(c.consumer().lastDeliveredSequence(), c.consumer().lastDelivered())),
                ctext("Last acked", 170, c -> seqAndWhen(c.consumer().ackFloorSequence(), c.consumer().lastAcked()))));
        table.setRowFactory(t -> new StaleRow());
    }

    private String seqAndWhen(long seq, Optional<java.time.Instant> when) {
        return seq == 0 && when.isEmpty() ? "never" : "#" + seq + ", " + NatsFormat.when(when, clock);
    }

    private void bindDrift() {
        driftBadge.textProperty().bind(model.driftSummaryProperty());
        driftBadge.severityProperty().bind(Bindings.when(model.driftedProperty()).then(Severity.WARNING)
                .otherwise(Bindings.when(model.loadedProperty()).then(Severity.OK).otherwise(Severity.IDLE)));
        driftTable.setItems(model.drift());
        TableColumn<StreamDrift.Row, StreamDrift.Row> state = new TableColumn<>("State");
        state.setPrefWidth(120);
        state.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        state.setCellFactory(c -> new DriftStateCell());
        TableColumn<StreamDrift.Row, String> name = new TableColumn<>("Stream");
        name.setPrefWidth(170);
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().stream()));
        TableColumn<StreamDrift.Row, String> declared = new TableColumn<>("Declared (profile)");
        declared.setPrefWidth(260);
        declared.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().declared()
                .map(s -> String.join(", ", s.subjects()) + "; " + s.retention().yamlName() + ", " + s.storage().yamlName()
                        + ", age " + NatsFormat.age(s.maxAge()) + ", msgs " + NatsFormat.limit(s.maxMsgs()))
                .orElse("not declared")));
        TableColumn<StreamDrift.Row, String> actual = new TableColumn<>("On the server");
        actual.setPrefWidth(260);
        actual.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().actual()
                .map(s -> String.join(", ", s.subjects()) + "; " + s.retention() + ", " + s.storage()
                        + ", age " + NatsFormat.age(s.maxAge()) + ", msgs " + NatsFormat.limit(s.maxMsgs()))
                .orElse("missing")));
        TableColumn<StreamDrift.Row, String> diff = new TableColumn<>("Differences");
        diff.setPrefWidth(360);
        diff.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().kind() == StreamDrift.Kind.SAME ? "as declared"
                : String.join("; ", c.getValue().differences())));
        driftTable.getColumns().setAll(java.util.List.of(state, name, declared, actual, diff));
        driftTable.setPlaceholder(new Label("Nothing read yet."));
        recreateButton.setOnAction(e -> model.requestRecreate());
        ActionPermits.guard(recreateButton, model.permits().refusal(NatsPermits.RECREATE), model.connectedProperty().not(),
                "Deletes the declared streams that exist (with their messages and consumers) and creates every declared one "
                        + "as the profile says; says how many of each first. Undeclared streams are left alone.");
    }

    private void bindPublish() {
        subjectField.textProperty().bindBidirectional(model.publishSubjectProperty());
        payloadArea.textProperty().bindBidirectional(model.publishDataProperty());
        publishButton.setOnAction(e -> model.publish());
        ActionPermits.guard(publishButton, model.permits().refusal(NatsPermits.PUBLISH), model.connectedProperty().not(),
                "Publishes once and says which stream took it and which consumers moved (Ctrl+Enter).");
        copyPublishButton.setOnAction(e -> copy(model.publishCommand()));
        publishBadge.textProperty().bind(model.publishResultProperty());
        publishBadge.severityProperty().bind(model.publishSeverityProperty());
        publishBadge.visibleProperty().bind(model.publishResultProperty().isNotEmpty());
    }

    private void bindMessages() {
        messagesSubjectField.textProperty().bindBidirectional(model.messagesSubjectProperty());
        messagesTitleLabel.textProperty().bind(Bindings.createStringBinding(() -> model.messagesTitleProperty().get().isEmpty()
                ? (model.selectedStreamProperty().get() == null ? "Choose a stream in Streams, then read its last messages."
                : "Stream " + model.selectedStreamProperty().get() + ": read its last " + NatsViewModel.LAST_MESSAGES + " messages.")
                : model.messagesTitleProperty().get(), model.messagesTitleProperty(), model.selectedStreamProperty()));
        readMessagesButton.setOnAction(e -> lastMessages());
        readMessagesButton.disableProperty().bind(model.selectedStreamProperty().isNull());
        copyMessagesButton.disableProperty().bind(model.selectedStreamProperty().isNull());
        copyMessagesButton.setOnAction(e -> copy(model.lastMessagesCommand()));
        messageTable.setItems(model.messages());
        TableColumn<StoredMessage, Number> seq = new TableColumn<>("Seq");
        seq.setPrefWidth(70);
        seq.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().sequence()));
        TableColumn<StoredMessage, String> time = new TableColumn<>("Time");
        time.setPrefWidth(150);
        time.setCellValueFactory(c -> new ReadOnlyStringWrapper(NatsFormat.when(Optional.of(c.getValue().time()), clock)));
        TableColumn<StoredMessage, String> subject = new TableColumn<>("Subject");
        subject.setPrefWidth(220);
        subject.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().subject()));
        TableColumn<StoredMessage, String> size = new TableColumn<>("Size");
        size.setPrefWidth(70);
        size.setCellValueFactory(c -> new ReadOnlyStringWrapper(NatsFormat.bytes(c.getValue().size())));
        TableColumn<StoredMessage, String> headers = new TableColumn<>("Headers");
        headers.setPrefWidth(220);
        headers.setCellValueFactory(c -> new ReadOnlyStringWrapper(headers(c.getValue().headers())));
        messageTable.getColumns().setAll(java.util.List.of(seq, time, subject, size, headers));
        messageTable.setPlaceholder(new Label("No messages read."));
        messageTable.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> messageBody.setText(now == null ? ""
                : (now.headers().isEmpty() ? "" : headers(now.headers()) + "\n\n") + now.pretty()));
    }

    private static String headers(Map<String, java.util.List<String>> headers) {
        return headers.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).collect(Collectors.joining("; "));
    }

    private void lastMessages() {
        if (model.selectedStreamProperty().get() == null) {
            return;
        }
        tabs.getSelectionModel().select(messagesTab);
        model.showLastMessages();
    }

    // ---- consumer chart and go to pod -----------------------------------------------------------

    /** A consumer chosen in either table is the one charted; rows replaced by a read keep it chosen. */
    private void followConsumerSelection(TableView<ConsumerHealth> table) {
        table.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (now != null) {
                model.selectedConsumerProperty().set(now.consumer().key());
            }
        });
        table.getItems().addListener((javafx.collections.ListChangeListener<ConsumerHealth>) c -> {
            String wanted = model.selectedConsumerProperty().get();
            ConsumerHealth shown = table.getSelectionModel().getSelectedItem();
            if (wanted == null || (shown != null && shown.consumer().key().equals(wanted))) {
                return;
            }
            table.getItems().stream().filter(h -> h.consumer().key().equals(wanted)).findFirst()
                    .ifPresent(h -> table.getSelectionModel().select(h));
        });
        MenuItem goTo = new MenuItem("Go to pod (Ctrl+G)");
        goTo.setOnAction(e -> goToPod());
        MenuItem copyInfo = new MenuItem("Copy nats command");
        copyInfo.setOnAction(e -> {
            ConsumerHealth h = table.getSelectionModel().getSelectedItem();
            if (h != null) {
                copy(model.commands().consumerInfo(h.consumer().stream(), h.consumer().durable()));
            }
        });
        table.setContextMenu(new ContextMenu(goTo, copyInfo));
    }

    private void goToPod() {
        model.consumer(model.selectedConsumerProperty().get()).ifPresent(model::goToOwner);
    }

    /** Unprocessed and ack pending of the selected consumer, minutes before its last reading. */
    private void buildChart() {
        chartTitleLabel.textProperty().bind(model.chartTitleProperty());
        NumberAxis x = new NumberAxis(-NatsViewModel.CHART_WINDOW.toMinutes(), 0, 1);
        x.setAutoRanging(false);
        x.setLabel("minutes before the last reading");
        NumberAxis y = new NumberAxis();
        y.setLabel("messages");
        y.setForceZeroInRange(true);
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setId("consumerChart");
        chart.setAnimated(false);
        chart.setCreateSymbols(true);
        chart.setLegendVisible(true);
        // On the right: below, a short chart has no room left for it and JavaFX drops it.
        chart.setLegendSide(javafx.geometry.Side.RIGHT);
        chart.setMinHeight(150);
        unprocessedSeries.setName("Unprocessed");
        ackPendingSeries.setName("Ack pending");
        chart.getData().setAll(List.of(unprocessedSeries, ackPendingSeries));
        VBox.setVgrow(chart, Priority.ALWAYS);
        chartBox.getChildren().add(chart);
        model.selectedSamples().addListener((javafx.collections.ListChangeListener<ConsumerSamples.Sample>) c -> plot());
        plot();
    }

    private void plot() {
        List<ConsumerSamples.Sample> samples = model.selectedSamples();
        List<XYChart.Data<Number, Number>> unprocessed = new ArrayList<>(samples.size());
        List<XYChart.Data<Number, Number>> ackPending = new ArrayList<>(samples.size());
        if (!samples.isEmpty()) {
            java.time.Instant last = samples.get(samples.size() - 1).time();
            for (ConsumerSamples.Sample s : samples) {
                double minutes = -Duration.between(s.time(), last).toMillis() / 60_000.0;
                unprocessed.add(new XYChart.Data<>(minutes, s.unprocessed()));
                ackPending.add(new XYChart.Data<>(minutes, s.ackPending()));
            }
        }
        unprocessedSeries.getData().setAll(unprocessed);
        ackPendingSeries.getData().setAll(ackPending);
    }

    // ---- confirmation dialog -------------------------------------------------------------------

    private void showConfirmation(Confirmation c) {
        if (dialog != null) {
            dialog.close();
        }
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle(c.title());
        d.setHeaderText(c.title() + "?");
        if (root.getScene() != null && root.getScene().getWindow() != null) {
            d.initOwner(root.getScene().getWindow());
        }
        Label summary = new Label(c.impact().summary());
        summary.setId("confirmSummary");
        summary.setWrapText(true);
        Label numbers = new Label(c.numbers());
        numbers.setId("confirmNumbers");
        numbers.setStyle("-fx-font-weight: bold;");
        VBox content = new VBox(10, summary, numbers);
        content.setPadding(new Insets(6, 0, 0, 0));
        content.setPrefWidth(520);
        TextField typed = new TextField();
        typed.setId("confirmTypeBack");
        if (c.typeBack().isPresent()) {
            Label ask = new Label(c.typeBackPrompt());
            ask.setLabelFor(typed);
            content.getChildren().addAll(ask, typed);
        }
        Label problem = new Label();
        problem.setId("confirmProblem");
        problem.getStyleClass().add("inline-problem");
        problem.textProperty().bind(model.confirmationProblemProperty());
        Button copyCommand = new Button("Copy nats command");
        copyCommand.setId("confirmCopy");
        copyCommand.setTooltip(new Tooltip(c.command()));
        copyCommand.setOnAction(e -> copy(c.command()));
        content.getChildren().addAll(problem, copyCommand);
        d.getDialogPane().setContent(content);
        d.getDialogPane().setId("natsConfirmation");
        if (root.getScene() != null) {
            d.getDialogPane().getStylesheets().setAll(root.getScene().getStylesheets());
        }
        ButtonType yes = new ButtonType(c.kind().title(), ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(yes, ButtonType.CANCEL);
        Button yesButton = (Button) d.getDialogPane().lookupButton(yes);
        yesButton.setId("confirmButton");
        yesButton.getStyleClass().add("danger-button");
        // Enter must not destroy anything by accident: Cancel is the default.
        yesButton.setDefaultButton(false);
        ((Button) d.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        if (c.typeBack().isPresent()) {
            yesButton.disableProperty().bind(typed.textProperty().isNotEqualTo(c.typeBack().get()));
        }
        yesButton.addEventFilter(ActionEvent.ACTION, e -> {
            if (!model.confirm(typed.getText())) {
                e.consume();
            }
        });
        d.setOnHidden(e -> {
            if (dialog == d) {
                dialog = null;
                model.cancelConfirmation();
            }
        });
        dialog = d;
        d.show();
        if (c.typeBack().isPresent()) {
            typed.requestFocus();
        }
    }

    // ---- cells ---------------------------------------------------------------------------------

    /** Stale consumers: a problem icon, the danger colour and the words of the verdict. */
    private static final class ConsumerStateCell extends TableCell<ConsumerHealth, ConsumerHealth> {
        private final StatusBadge badge = new StatusBadge();
        private final Tooltip tooltip = new Tooltip();

        @Override
        protected void updateItem(ConsumerHealth h, boolean empty) {
            super.updateItem(h, empty);
            if (empty || h == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            Severity level = h.stale() ? Severity.PROBLEM
                    : h.consumer().ephemeral() ? Severity.IDLE
                    : h.consumer().push() && !h.consumer().bound() && h.consumer().unprocessed() > 0 ? Severity.WARNING
                    : Severity.OK;
            String owner = h.owner().map(o -> " (" + o + ")").orElse("");
            badge.show(level, (h.stale() ? "Stale: " : "") + h.verdict());
            tooltip.setText(h.consumer().key() + owner + ": " + (h.stale() ? "stale, " : "") + h.verdict());
            setTooltip(tooltip);
            setGraphic(badge);
        }
    }

    private static final class StaleRow extends TableRow<ConsumerHealth> {
        @Override
        protected void updateItem(ConsumerHealth h, boolean empty) {
            super.updateItem(h, empty);
            pseudoClassStateChanged(StyleClasses.PROBLEM, !empty && h != null && h.stale());
        }
    }

    private static final class DriftStateCell extends TableCell<StreamDrift.Row, StreamDrift.Row> {
        private final StatusBadge badge = new StatusBadge();

        @Override
        protected void updateItem(StreamDrift.Row r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null) {
                setGraphic(null);
                return;
            }
            switch (r.kind()) {
                case SAME -> badge.show(Severity.OK, "as declared");
                case MISSING -> badge.show(Severity.PROBLEM, "missing");
                case EXTRA -> badge.show(Severity.WARNING, "not declared");
                case DIFFERENT -> badge.show(Severity.WARNING, "different");
            }
            setGraphic(badge);
        }
    }

    // ---- column helpers ------------------------------------------------------------------------

    private static TableColumn<StreamRow, String> text(String title, double width, Function<StreamRow, String> value) {
        TableColumn<StreamRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(value.apply(x.getValue())));
        return c;
    }

    private static TableColumn<StreamRow, Number> number(String title, double width, Function<StreamRow, Long> value) {
        return sized(title, width, value, NatsFormat::count);
    }

    private static TableColumn<StreamRow, Number> sized(String title, double width, Function<StreamRow, Long> value,
                                                        Function<Long, String> format) {
        TableColumn<StreamRow, Number> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(value.apply(x.getValue())));
        c.setCellFactory(x -> new NumberCell<>(format));
        return c;
    }

    private static TableColumn<ConsumerHealth, String> ctext(String title, double width, Function<ConsumerHealth, String> value) {
        TableColumn<ConsumerHealth, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(value.apply(x.getValue())));
        return c;
    }

    private static TableColumn<ConsumerHealth, Number> cnumber(String title, double width, Function<ConsumerHealth, Long> value) {
        TableColumn<ConsumerHealth, Number> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(value.apply(x.getValue())));
        c.setCellFactory(x -> new NumberCell<>(NatsFormat::count));
        return c;
    }

    /** Numbers right-aligned and formatted, sorted as numbers. */
    private static final class NumberCell<S> extends TableCell<S, Number> {
        private final Function<Long, String> format;

        NumberCell(Function<Long, String> format) {
            this.format = format;
            getStyleClass().add("number-cell");
            setStyle("-fx-alignment: CENTER-RIGHT;");
        }

        @Override
        protected void updateItem(Number n, boolean empty) {
            super.updateItem(n, empty);
            setText(empty || n == null ? null : format.apply(n.longValue()));
        }
    }

    private static void copy(String command) {
        ClipboardContent content = new ClipboardContent();
        content.putString(command);
        Clipboard.getSystemClipboard().setContent(content);
    }
}
