package fleet.console.diagnosis;

import fleet.console.cluster.KubectlCommands;
import fleet.console.cluster.pods.PodInspector;
import fleet.console.cluster.pods.WorkloadRef;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Pods that run but do not serve (NATS itself not ready, a readiness probe failing), pods a node reboot
 * left behind (ContainerStatusUnknown), and Jobs that gave up (BackoffLimitExceeded).
 */
final class StateRules {

    private StateRules() {
    }

    // NATS itself --------------------------------------------------------------------------------------

    static List<Finding> natsNotReady(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (PodView n : o.focusedPods()) {
            if (!n.isNats() || n.ready()) {
                continue;
            }
            boolean probeFails = n.lastEvent("Unhealthy").isPresent();
            Optional<String> symptom = n.symptom().or(() -> probeFails ? Optional.of(PodView.NOT_READY) : Optional.empty());
            if (symptom.isEmpty()) {
                continue;
            }
            long waiting = o.pods().stream().filter(p -> p.usesNats() && p.symptom().isPresent()).count();
            Finding f = Finding.of(n.subject(), symptom.get(), n.name() + " is " + n.state().status() + " " + n.state().readyText()
                    + ": the fleet's NATS does not answer, so every service with NATS consumers fails until it does"
                    + (waiting > 0 ? " (" + waiting + " pod(s) fail now)" : "") + ".")
                    .provides(DiagnosisKeys.NATS);
            n.condition("Ready").ifPresent(c -> f.evidence("status", "Ready=" + c.getStatus() + (c.getReason() == null ? "" : " (" + c.getReason() + ")")
                    + (c.getLastTransitionTime() == null ? "" : " since " + c.getLastTransitionTime()),
                    Evidences.podField(n, "status.conditions[Ready]", ".status.conditions[?(@.type==\"Ready\")]")));
            n.lastEvent("Unhealthy").ifPresent(e -> f.evidence(List.of(Evidences.event(o.namespace(), e))));
            String container = n.mainContainer();
            Evidences.matching(n.log(container, false), l -> l.contains("[WRN]") || l.contains("[ERR]") || l.contains("[FTL]"), 2)
                    .forEach(l -> f.evidence(List.of(Evidences.log(n, container, false, l))));
            f.fix(new Fix.CommandFix("Read " + n.name() + "'s log for why; if it stays unready, delete the pod: its StatefulSet starts it again"
                    + " on the same volume (streams and consumers are kept). The services that need NATS recover by themselves once it is Ready.",
                    List.of(KubectlCommands.in(o.namespace()).logs(n.name(), Optional.of(container), false, false, java.util.OptionalInt.of(50), false),
                            KubectlCommands.in(o.namespace()).deletePod(n.name()))));
            out.add(f);
        }
        return out;
    }

    // Readiness probe ----------------------------------------------------------------------------------

    static List<Finding> readinessProbe(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            if (p.isNats() || p.symptom().filter(PodView.NOT_READY::equals).isEmpty()) {
                continue;
            }
            Optional<Event> failed = p.events().stream().filter(e -> "Unhealthy".equals(e.getReason()) && e.getMessage() != null
                    && e.getMessage().startsWith("Readiness probe failed")).reduce((a, b) -> b);
            if (failed.isEmpty()) {
                continue;
            }
            Optional<ContainerStatus> unready = p.statuses().stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).findFirst();
            String container = unready.map(ContainerStatus::getName).orElse(p.mainContainer());
            Optional<Probe> probe = p.container(container).map(c -> c.getReadinessProbe());
            String described = probe.flatMap(PodInspector::probe).orElse("its readiness probe");
            String lastFailure = failed.get().getMessage().substring("Readiness probe failed:".length()).strip();
            long servingSiblings = o.pods().stream().filter(x -> x.workload().isPresent() && x.workload().equals(p.workload())
                    && !x.name().equals(p.name()) && x.ready()).count();
            Finding f = Finding.of(p.subject(), PodView.NOT_READY, container + " runs but its readiness probe (" + described + ") fails: "
                    + lastFailure + ". The pod gets no traffic" + (servingSiblings > 0 ? "; " + servingSiblings
                    + " older pod(s) of " + CrashRules.workloadName(p) + " still serve, and its rollout waits." : ", and none of "
                    + CrashRules.workloadName(p) + " is serving."))
                    .severity(servingSiblings > 0 ? Severity.WARNING : Severity.ERROR);
            probe.flatMap(PodInspector::probe).ifPresent(d -> f.evidence("spec", "readinessProbe: " + d,
                    Evidences.containerSpec(p, container, "readinessProbe")));
            f.evidence(List.of(Evidences.event(o.namespace(), failed.get())));
            String path = probe.map(Probe::getHttpGet).map(h -> h.getPath()).orElse(null);
            if (path != null) {
                Evidences.matching(p.log(container, false), l -> l.contains(path), 1)
                        .forEach(l -> f.evidence(List.of(Evidences.log(p, container, false, l))));
            }
            String now = probe.map(Serialization::asJson).orElse("");
            Optional<Fix> rollback = Fixes.rollbackWhere(o, p, r -> r.template() != null && r.template().getSpec() != null
                    && r.template().getSpec().getContainers() != null && r.template().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(container)).findFirst()
                    .map(c -> !Objects.equals(c.getReadinessProbe() == null ? "" : Serialization.asJson(c.getReadinessProbe()), now)).orElse(false),
                    ", whose readiness probe was different: this revision changed it.");
            String port = probe.map(Probe::getHttpGet).map(h -> h.getPort() == null ? "" : h.getPort().getIntVal() != null
                    ? String.valueOf(h.getPort().getIntVal()) : h.getPort().getStrVal()).orElse("");
            f.fix(rollback.orElseGet(() -> new Fix.CommandFix("Ask the container what the probe asks, and make the probe match what the"
                    + " service serves (or fix the service).", path == null
                    ? List.of(KubectlCommands.in(o.namespace()).describePod(p.name()))
                    : List.of(KubectlCommands.in(o.namespace()).describePod(p.name()), "kubectl exec -n " + KubectlCommands.quote(o.namespace())
                    + " " + KubectlCommands.quote(p.name()) + " -c " + KubectlCommands.quote(container) + " -- wget -qO- "
                    + KubectlCommands.quote("http://localhost:" + port + path)))));
            out.add(f);
        }
        return out;
    }

    static List<Finding> notReady(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            if (p.isNats() || p.symptom().filter(PodView.NOT_READY::equals).isEmpty()) {
                continue;
            }
            Finding f = Finding.of(p.subject(), PodView.NOT_READY, p.name() + " runs but has not been Ready for a while, without a failed"
                    + " probe on record.").cause("Not ready");
            p.condition("Ready").ifPresent(c -> f.evidence("status", "Ready=" + c.getStatus() + " since " + c.getLastTransitionTime(),
                    Evidences.podField(p, "status.conditions[Ready]", ".status.conditions[?(@.type==\"Ready\")]")));
            f.fix(new Fix.CommandFix("Read its events and log.", List.of(KubectlCommands.in(o.namespace()).describePod(p.name()))));
            out.add(f);
        }
        return out;
    }

    // Node reboot --------------------------------------------------------------------------------------

    static List<Finding> statusUnknown(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            if (p.symptom().filter(PodView.UNKNOWN::equals).isEmpty()) {
                continue;
            }
            String node = p.pod().getSpec() == null ? null : p.pod().getSpec().getNodeName();
            List<Event> reboots = o.nodeEvents().stream().filter(e -> "Rebooted".equals(e.getReason()) && node != null
                    && node.equals(e.getInvolvedObject().getName())).toList();
            Finding f = Finding.of(p.subject(), PodView.UNKNOWN, p.name() + "'s containers were lost" + (reboots.isEmpty() ? "" : " when "
                    + node + " rebooted") + ": the runtime no longer knows them (ContainerStatusUnknown), nothing restarts them, and "
                    + CrashRules.workloadName(p) + " still counts the pod as its own.");
            for (ContainerStatus s : p.statuses()) {
                var t = s.getState() == null ? null : s.getState().getTerminated();
                if (t != null && "ContainerStatusUnknown".equals(t.getReason())) {
                    f.evidence("status", "ContainerStatusUnknown, exit code " + t.getExitCode() + (t.getMessage() == null ? "" : ": " + t.getMessage()),
                            Evidences.containerStatus(p, s.getName(), "state.terminated"));
                }
            }
            if (!reboots.isEmpty()) {
                Event e = reboots.get(reboots.size() - 1);
                f.evidence(List.of(Evidences.event("default", e)));
            }
            Optional<WorkloadRef> w = p.workload();
            if (p.service().isPresent()) {
                f.fix(Fixes.scaleCycle(p.service().get(), "Scale " + p.service().get().name() + " to 0 (its pods are deleted, these included),"
                        + " wait until they are gone, and scale it back to its replica count."));
            } else {
                f.fix(new Fix.CommandFix("Delete the pod; its controller creates a new one.",
                        List.of(KubectlCommands.in(o.namespace()).deletePod(p.name()))));
            }
            out.add(f);
        }
        return out;
    }

    // Jobs ---------------------------------------------------------------------------------------------

    static List<Finding> jobBackoff(Observations o) {
        List<Finding> out = new ArrayList<>();
        if (!o.wholeNamespace()) {
            return out;
        }
        for (Job job : o.jobs()) {
            Optional<JobCondition> failed = job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
                    : job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
            if (failed.isEmpty()) {
                continue;
            }
            String name = job.getMetadata().getName();
            int failures = job.getStatus().getFailed() == null ? 0 : job.getStatus().getFailed();
            int limit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
            WorkloadRef ref = new WorkloadRef("Job", name);
            boolean deadline = "DeadlineExceeded".equals(failed.get().getReason());
            Finding f = Finding.of(Subject.workload(o.namespace(), ref, Optional.empty()), "Failed",
                    "Job " + name + " gave up: " + (deadline ? "it ran past its deadline" : "it failed " + failures + " time(s), past its backoff limit of "
                            + limit) + ". Whatever it was to do (" + (name.contains("council") ? "create the councils" : "its one-off work")
                            + ") is not done.")
                    .cause(deadline ? "Job ran past its deadline" : "Job backoff limit exhausted");
            f.evidence("status", failed.get().getReason() + ": " + failed.get().getMessage(),
                    Evidences.field(job, "status.conditions[Failed]", ".status.conditions[?(@.type==\"Failed\")]"));
            Optional<PodView> last = o.pods().stream().filter(p -> p.workload().filter(ref::equals).isPresent())
                    .max(Comparator.comparing(p -> Objects.toString(p.pod().getMetadata().getCreationTimestamp(), "")));
            last.ifPresent(p -> {
                String c = p.mainContainer();
                Evidences.tail(p.log(c, false), 2).forEach(l -> f.evidence(List.of(Evidences.log(p, c, false, l))));
            });
            o.eventsAbout(job).stream().filter(e -> "BackoffLimitExceeded".equals(e.getReason())).reduce((a, b) -> b)
                    .ifPresent(e -> f.evidence(List.of(Evidences.event(o.namespace(), e))));
            f.fix(new Fix.CommandFix("Fix what its log says, then run it again: delete the Job and apply its manifest.",
                    List.of("kubectl logs " + Fixes.ns(o) + " job/" + KubectlCommands.quote(name) + " --tail=50",
                            "kubectl delete job " + KubectlCommands.quote(name) + " " + Fixes.ns(o),
                            "kubectl apply " + Fixes.ns(o) + " -f <the manifest of job " + name + ">")));
            if (name.toLowerCase(Locale.ROOT).contains("council")) {
                f.section(RunbookSection.COUNCILS);
            }
            out.add(f);
        }
        return out;
    }

    static boolean podOf(Pod pod, Job job) {
        return pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> job.getMetadata().getUid() != null && job.getMetadata().getUid().equals(r.getUid()));
    }
}
