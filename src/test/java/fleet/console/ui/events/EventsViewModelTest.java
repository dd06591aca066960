package fleet.console.ui.events;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.events.EventRow;
import fleet.console.ui.common.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Events area's model with synthetic events: order, filters, Warnings, where a click leads. */
class EventsViewModelTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final ClusterSession SESSION = new ClusterSession(null, "sandbox", "swe-ai-fleet", "https://x", "v1", true);

    private EventsGateway.Listener listener;
    private final List<String> shownObjects = new ArrayList<>();
    private final EventsViewModel model = new EventsViewModel((session, l) -> {
        listener = l;
        return () -> { };
    }, new ManualScheduler(), Runnable::run, Clock.fixed(NOW, ZoneOffset.UTC));

    private static EventRow event(String uid, String type, String reason, String kind, String name, int ageSeconds) {
        return new EventRow(uid, type, reason, kind, name, reason + " of " + name, 1, NOW.minusSeconds(ageSeconds + 60),
                NOW.minusSeconds(ageSeconds));
    }

    private final EventRow backOff = event("1", "Warning", "BackOff", "Pod", "ray-executor-7d9f-x", 10);
    private final EventRow pulled = event("2", "Normal", "Pulled", "Pod", "context-5c4b-y", 30);
    private final EventRow scaled = event("3", "Normal", "ScalingReplicaSet", "Deployment", "orchestrator", 20);
    private final EventRow failed = event("4", "Warning", "Failed", "Pod", "orchestrator-6d8f-z", 5);

    private void connected(EventRow... rows) {
        model.show(SESSION);
        model.activate();
        listener.changed(List.of(rows), List.of());
    }

    private List<String> shown() {
        return model.shownRows().stream().map(EventRow::uid).toList();
    }

    @Test
    void newestFirstAndARepeatedEventMovesUpWithItsCount() {
        connected(backOff, pulled, scaled, failed);
        assertThat(shown()).containsExactly("4", "1", "3", "2");

        listener.changed(List.of(new EventRow("2", "Normal", "Pulled", "Pod", "context-5c4b-y", "again", 3,
                pulled.firstSeen(), NOW)), List.of());

        assertThat(shown()).containsExactly("2", "4", "1", "3");
        assertThat(model.shownRows().get(0).count()).isEqualTo(3);
    }

    @Test
    void filtersByObjectReasonAndWarnings() {
        connected(backOff, pulled, scaled, failed);

        model.objectFilterProperty().set("orchestrator");
        assertThat(shown()).containsExactly("4", "3");
        model.objectFilterProperty().set("deployment/");
        assertThat(shown()).containsExactly("3");
        model.objectFilterProperty().set("");
        model.reasonFilterProperty().set("BackOff");
        assertThat(shown()).containsExactly("1");
        model.reasonFilterProperty().set(EventsViewModel.ALL_REASONS);
        model.warningsOnlyProperty().set(true);
        assertThat(shown()).containsExactly("4", "1");
        assertThat(model.summaryProperty().get()).isEqualTo("4 events in swe-ai-fleet · 2 warnings · showing 2 (filtered)");
        assertThat(model.reasons()).containsExactly(EventsViewModel.ALL_REASONS, "BackOff", "Failed", "Pulled",
                "ScalingReplicaSet");
    }

    @Test
    void aClickOnAnObjectGoesWhereTheNavigatorLeads() {
        model.setNavigator(new ObjectNavigator() {
            @Override
            public boolean show(String kind, String name) {
                shownObjects.add(kind + "/" + name);
                return true;
            }

            @Override
            public boolean canShow(String kind) {
                return kind.equals("Pod");
            }
        });
        connected(backOff, scaled);

        assertThat(model.canOpen(backOff)).isTrue();
        assertThat(model.canOpen(scaled)).isFalse();
        model.open(backOff);

        assertThat(shownObjects).containsExactly("Pod/ray-executor-7d9f-x");
    }

    @Test
    void aQuietNamespaceSaysItHasNoEvents() {
        connected();

        assertThat(model.emptyTextProperty().get()).startsWith("No events in namespace swe-ai-fleet.");
    }

    @Test
    void expiredEventsLeave() {
        connected(backOff, pulled);

        listener.changed(List.of(), List.of("1"));

        assertThat(shown()).containsExactly("2");
        assertThat(model.summaryProperty().get()).startsWith("1 event in swe-ai-fleet · 0 warnings");
    }
}
