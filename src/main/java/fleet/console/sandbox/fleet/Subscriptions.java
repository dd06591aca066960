package fleet.console.sandbox.fleet;

import java.util.List;
import java.util.Map;

/**
 * The JetStream consumers the fleet's services create as they start, as their code does (from the
 * fleet's own sources): the simulated services create the same durables on the sandbox's NATS server,
 * so the console sees what it would see on the real fleet.
 */
final class Subscriptions {

    /** One durable consumer: its name and the subject it filters on. */
    record Durable(String name, String subject) {
    }

    /** The push durable of the first deliberation collector, without a deliver group: it binds once. */
    static final Durable PUSH_COLLECTOR = new Durable("deliberation-collector-completed", "agent.response.completed");

    /**
     * The push durable a service binds in the double-bind case: the orchestrator's first collector, or
     * for another service a push durable of its own on its first subject, equally without a group.
     */
    static Durable pushDurableOf(String service) {
        if ("orchestrator".equals(service) || of(service).isEmpty()) {
            return PUSH_COLLECTOR;
        }
        return new Durable(service + "-push", of(service).get(0).subject());
    }

    private static final Map<String, List<Durable>> BY_SERVICE = Map.of(
            "orchestrator", List.of(
                    new Durable("orch-planning-story-transitions", "planning.story.transitioned"),
                    new Durable("orch-planning-plan-approved", "planning.plan.approved"),
                    new Durable("orch-context-updated", "context.updated"),
                    new Durable("orch-context-milestone", "context.milestone.reached"),
                    new Durable("orch-context-decision", "context.decision.made"),
                    new Durable("deliberation-collector-completed-v3", "agent.response.completed"),
                    new Durable("deliberation-collector-failed-v3", "agent.response.failed")),
            "context", List.of(
                    new Durable("context-planning-story-transitions", "planning.story.transitioned"),
                    new Durable("context-planning-plan-approved", "planning.plan.approved"),
                    new Durable("context-orch-deliberation-completed", "orchestration.deliberation.completed"),
                    new Durable("context-orch-task-dispatched", "orchestration.task.dispatched"),
                    new Durable("context-planning-project-created", "planning.project.created"),
                    new Durable("context-planning-epic-created", "planning.epic.created"),
                    new Durable("context-planning-story-created", "planning.story.created"),
                    new Durable("context-planning-task-created", "planning.task.created")),
            "monitoring-dashboard", List.of(
                    new Durable("monitoring-dashboard", "planning.>")));

    private Subscriptions() {
    }

    static List<Durable> of(String service) {
        return BY_SERVICE.getOrDefault(service, List.of());
    }
}
