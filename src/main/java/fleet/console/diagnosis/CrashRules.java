package fleet.console.diagnosis;

import fleet.console.cluster.KubectlCommands;
import fleet.console.profile.ServiceSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runbook's CrashLoopBackOff causes told apart by their evidence (Issue B, and Issue A): a push
 * durable already bound, NATS not ready, an import broken by the src/ to core/ move, the memory limit,
 * another image than the profile's; and what can still be said when none of them fits.
 */
final class CrashRules {

    private static final Pattern DURABLE = Pattern.compile("durable=\"([^\"]+)\"");
    private static final Pattern NATS_ADDRESS = Pattern.compile("(nats://[^\\s:,;'\"]+(?::\\d+)?)");
    private static final Pattern MODULE_MISSING = Pattern.compile("ModuleNotFoundError: No module named '([^']+)'");
    private static final Pattern IMPORT_NAME = Pattern.compile("ImportError: cannot import name '([^']+)' from '([^']+)'");

    private CrashRules() {
    }

    /** The crashing pods in focus, with the container that crashes and its crash log. */
    private record Crash(PodView pod, String container, List<String> log, boolean previous) {
    }

    private static List<Crash> crashes(Observations o) {
        List<Crash> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            if (p.symptom().filter(PodView.CRASH::equals).isEmpty()) {
                continue;
            }
            String c = p.mainContainer();
            out.add(new Crash(p, c, p.crashLog(c), p.hasPreviousLog(c)));
        }
        return out;
    }

    // Issue A ---------------------------------------------------------------------------------------------

    static List<Finding> consumerAlreadyBound(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Crash c : crashes(o)) {
            Optional<String> line = Evidences.last(c.log, l -> l.toLowerCase(Locale.ROOT).contains("already bound to a subscription"));
            if (line.isEmpty()) {
                continue;
            }
            Optional<String> durable = c.log.stream().map(DURABLE::matcher).filter(Matcher::find).map(m -> m.group(1)).reduce((a, b) -> b);
            String service = c.pod.service().map(ServiceSpec::name).orElse(c.pod.workload().map(w -> w.name()).orElse(c.pod.name()));
            Finding f = Finding.of(c.pod.subject(), PodView.CRASH, "Two pods of " + service + " bound the push durable "
                    + durable.map(d -> "'" + d + "' ").orElse("") + "at once: the new pod of a rolling update met the old one still "
                    + "holding it, and crashes with \"consumer is already bound to a subscription\". A push durable takes one subscriber.")
                    .evidence(List.of(Evidences.log(c.pod, c.container, c.previous, line.get())));
            Evidences.last(c.log, l -> l.contains("subscribe(")).ifPresent(l -> f.evidence(List.of(Evidences.log(c.pod, c.container, c.previous, l))));
            // The overlap itself: pods of two versions of the workload at once.
            List<PodView> siblings = o.pods().stream().filter(x -> x.workload().equals(c.pod.workload()) && !x.name().equals(c.pod.name())).toList();
            for (PodView s : siblings) {
                String hash = s.pod().getMetadata().getLabels() == null ? "" : s.pod().getMetadata().getLabels().getOrDefault("pod-template-hash", "");
                String mine = c.pod.pod().getMetadata().getLabels() == null ? "" : c.pod.pod().getMetadata().getLabels().getOrDefault("pod-template-hash", "");
                if (!hash.equals(mine) && s.ready()) {
                    f.evidence("pod of the other version", s.name() + " (template " + hash + ") is Ready and holds the binding; this pod is template "
                            + mine, Evidences.podField(s, "metadata.labels.pod-template-hash", ".metadata.labels.pod-template-hash"));
                }
            }
            c.pod.service().filter(ServiceSpec::natsConsumers).ifPresentOrElse(
                    s -> f.fix(Fixes.redeploy(s, Fixes.runningTag(s, image(c.pod, c.container)),
                            "The safe redeploy: scale " + s.name() + " to 0, wait until its pods are gone (the binding is released), "
                                    + "then scale back to its replica count. Every new pod then binds alone.")),
                    () -> c.pod.workload().ifPresent(w -> f.fix(new Fix.CommandFix("Scale it to 0, wait until its pods are gone, scale it back.",
                            List.of("kubectl scale " + w.kubectlName() + " " + Fixes.ns(o) + " --replicas=0",
                                    "kubectl wait --for=delete pod -l <selector of " + w.kubectlName() + "> " + Fixes.ns(o) + " --timeout=60s",
                                    "kubectl scale " + w.kubectlName() + " " + Fixes.ns(o) + " --replicas=1")))));
            out.add(f);
        }
        return out;
    }

    // NATS not ready ------------------------------------------------------------------------------------

    static List<Finding> natsUnreachable(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Crash c : crashes(o)) {
            Optional<String> line = Evidences.last(c.log, CrashRules::saysNatsRefused);
            if (line.isEmpty()) {
                continue;
            }
            Optional<String> address = c.log.stream().map(NATS_ADDRESS::matcher).filter(Matcher::find).map(m -> m.group(1)).reduce((a, b) -> b);
            List<PodView> natsPods = o.natsPods();
            Finding f;
            if (!o.natsReady()) {
                f = Finding.of(c.pod.subject(), PodView.CRASH, c.pod.name() + " cannot connect to NATS" + address.map(a -> " at " + a).orElse("")
                        + " (connection refused) because NATS is not ready: " + natsPodsText(natsPods)
                        + ". It restarts by itself and connects once NATS is Ready.")
                        .cause("NATS not ready")
                        .needs(DiagnosisKeys.NATS)
                        .confidence(Confidence.CERTAIN);
                f.evidence(List.of(Evidences.log(c.pod, c.container, c.previous, line.get())));
                for (PodView n : natsPods) {
                    f.evidence("status", n.name() + " Ready=" + n.condition("Ready").map(x -> x.getStatus()).orElse("Unknown")
                            + n.condition("Ready").map(x -> x.getReason() == null ? "" : " (" + x.getReason() + ")").orElse(""),
                            Evidences.podField(n, "status.conditions[Ready]", ".status.conditions[?(@.type==\"Ready\")]"));
                }
                String nats = natsPods.isEmpty() ? "nats-0" : natsPods.get(0).name();
                f.fix(new Fix.CommandFix("Fix NATS first (the diagnosis of " + nats + " says why it is not ready); " + c.pod.name()
                        + " needs nothing of its own and comes back on its next restart.",
                        List.of("kubectl wait --for=condition=ready pod/" + nats + " " + Fixes.ns(o) + " --timeout=120s")));
            } else {
                String expected = "nats://nats." + o.namespace() + ".svc.cluster.local:4222";
                boolean elsewhere = address.isPresent() && !address.get().equals(expected) && !address.get().startsWith("nats://nats:")
                        && !address.get().startsWith("nats://nats." + o.namespace() + ":");
                f = Finding.of(c.pod.subject(), PodView.CRASH, elsewhere
                        ? c.pod.name() + " connects to NATS at " + address.get() + ", which refuses; the fleet's NATS is Ready at " + expected + "."
                        : c.pod.name() + " last crashed because NATS refused its connection, but NATS is Ready now: the crash likely"
                                + " came while NATS was down, and its next restart connects.")
                        .cause(elsewhere ? "Wrong NATS address" : "NATS was not ready when it started")
                        .confidence(elsewhere ? Confidence.LIKELY : Confidence.POSSIBLE);
                f.evidence(List.of(Evidences.log(c.pod, c.container, c.previous, line.get())));
                for (PodView n : natsPods) {
                    f.evidence("status", n.name() + " is Ready", Evidences.podField(n, "status.conditions[Ready]", ".status.conditions[?(@.type==\"Ready\")]"));
                }
                natsUrlRef(c.pod, c.container).ifPresent(ref -> f.evidence("spec", "NATS_URL comes from " + ref,
                        Evidences.containerSpec(c.pod, c.container, "env[NATS_URL]")));
                if (elsewhere) {
                    f.fix(new Fix.CommandFix("Point NATS_URL at " + expected + " and restart " + workloadName(c.pod) + ".",
                            List.of("kubectl get configmap service-urls " + Fixes.ns(o) + " -o jsonpath='{.data.NATS_URL}'",
                                    "kubectl patch configmap service-urls " + Fixes.ns(o) + " --type merge -p "
                                            + KubectlCommands.quote("{\"data\":{\"NATS_URL\":\"" + expected + "\"}}"),
                                    "kubectl rollout restart " + c.pod.workload().map(w -> w.kubectlName()).orElse("deployment/" + workloadName(c.pod))
                                            + " " + Fixes.ns(o))));
                } else {
                    f.fix(new Fix.CommandFix("Restart the pod now instead of waiting for its back-off.",
                            List.of(KubectlCommands.in(o.namespace()).deletePod(c.pod.name()))));
                }
            }
            out.add(f);
        }
        return out;
    }

    private static boolean saysNatsRefused(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        return l.contains("nats") && (l.contains("connection refused") || l.contains("no servers available") || l.contains("noserverserror"));
    }

    private static String natsPodsText(List<PodView> natsPods) {
        if (natsPods.isEmpty()) {
            return "it has no pod";
        }
        List<String> out = new ArrayList<>();
        for (PodView n : natsPods) {
            out.add(n.name() + " is " + n.state().status() + " " + n.state().readyText());
        }
        return String.join(", ", out);
    }

    private static Optional<String> natsUrlRef(PodView p, String container) {
        return p.container(container).flatMap(c -> Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
                .filter(e -> "NATS_URL".equals(e.getName())).findFirst())
                .map(CrashRules::refText);
    }

    private static String refText(EnvVar e) {
        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
            return "configmap " + e.getValueFrom().getConfigMapKeyRef().getName() + " / " + e.getValueFrom().getConfigMapKeyRef().getKey();
        }
        return "the value " + e.getValue();
    }

    // Import errors --------------------------------------------------------------------------------------

    static List<Finding> importError(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Crash c : crashes(o)) {
            int at = -1;
            String module = null;
            String detail = null;
            for (int i = c.log.size() - 1; i >= 0 && at < 0; i--) {
                Matcher missing = MODULE_MISSING.matcher(c.log.get(i));
                Matcher name = IMPORT_NAME.matcher(c.log.get(i));
                if (missing.find()) {
                    at = i;
                    module = missing.group(1);
                    detail = "no module named '" + module + "'";
                } else if (name.find()) {
                    at = i;
                    module = name.group(2);
                    detail = "cannot import '" + name.group(1) + "' from '" + module + "'";
                }
            }
            if (at < 0) {
                continue;
            }
            boolean moved = module.equals("src") || module.startsWith("src.") || module.equals("core") || module.startsWith("core.");
            String imageNow = image(c.pod, c.container);
            Finding f = Finding.of(c.pod.subject(), PodView.CRASH, c.pod.name() + " dies at start: " + detail
                    + (moved ? ". The code moved from src/ to core/, and this import still uses the " + (module.startsWith("src") ? "old" : "new")
                    + " layout where the image has the other." : ".") + " Image " + imageNow + ".")
                    .cause(moved ? "Import error after the src/ -> core/ move" : "Import error");
            f.evidence(List.of(Evidences.log(c.pod, c.container, c.previous, c.log.get(at))));
            for (int i = at - 1; i >= Math.max(0, at - 4); i--) {
                String l = c.log.get(i).strip();
                if (l.startsWith("from ") || l.startsWith("import ")) {
                    f.evidence(List.of(Evidences.log(c.pod, c.container, c.previous, c.log.get(i))));
                    break;
                }
            }
            String correction = module.startsWith("src") ? "change 'src." + "' imports to 'core.'" : "check the core/ layout the import expects";
            Optional<Fix> rollback = Fixes.rollbackWhere(o, c.pod, r -> !r.images().contains(imageNow),
                    ", the image before this one; then fix the import (" + correction + "), build and redeploy.");
            f.fix(rollback.orElseGet(() -> new Fix.CommandFix("Fix the import in the code (" + correction + "), build and push a new tag, "
                    + "and redeploy it; there is no earlier image of " + workloadName(c.pod) + " to go back to.",
                    List.of(KubectlCommands.in(o.namespace()).logs(c.pod.name(), Optional.of(c.container), c.previous, false,
                                    java.util.OptionalInt.of(50), false),
                            c.pod.service().map(s -> "fleet-console runbook redeploy --service " + s.name() + " --tag <the fixed tag>")
                                    .orElse("kubectl set image " + c.pod.workload().map(w -> w.kubectlName()).orElse("deployment/" + workloadName(c.pod))
                                            + " " + c.container + "=<the fixed image> " + Fixes.ns(o))))));
            out.add(f);
        }
        return out;
    }

    // OOMKilled ------------------------------------------------------------------------------------------

    static List<Finding> outOfMemory(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            if (p.symptom().filter(PodView.CRASH::equals).isEmpty()) {
                continue;
            }
            for (ContainerStatus s : p.statuses()) {
                var last = s.getLastState() == null ? null : s.getLastState().getTerminated();
                var now = s.getState() == null ? null : s.getState().getTerminated();
                var killed = now != null && "OOMKilled".equals(now.getReason()) ? now : last != null && "OOMKilled".equals(last.getReason()) ? last : null;
                if (killed == null) {
                    continue;
                }
                String part = killed == now ? "state.terminated" : "lastState.terminated";
                Optional<Quantity> limit = p.container(s.getName()).map(Container::getResources).map(r -> r.getLimits())
                        .map(l -> l.get("memory"));
                Finding f = Finding.of(p.subject(), PodView.CRASH, s.getName() + " used more memory than its limit"
                        + limit.map(l -> " of " + l).orElse(" (it has none: the node ran out)") + " and the kernel killed it (OOMKilled, exit code "
                        + killed.getExitCode() + "); it restarts, grows and is killed again.");
                f.evidence("status", "OOMKilled, exit code " + killed.getExitCode() + (killed.getFinishedAt() == null ? "" : " at " + killed.getFinishedAt()),
                        Evidences.containerStatus(p, s.getName(), part));
                limit.ifPresent(l -> f.evidence("spec", "limits.memory: " + l, Evidences.containerSpec(p, s.getName(), "resources.limits.memory")));
                List<String> log = p.crashLog(s.getName());
                Evidences.tail(log, 1).forEach(l -> f.evidence(List.of(Evidences.log(p, s.getName(), p.hasPreviousLog(s.getName()), l))));
                String workload = p.workload().map(w -> w.kubectlName()).orElse("pod/" + p.name());
                String more = limit.map(CrashRules::doubled).orElse("1Gi");
                f.fix(new Fix.CommandFix("Give " + s.getName() + " more memory (" + limit.map(l -> "twice the " + l + " it has").orElse("a limit")
                        + "), or find what grows: its last line before the kill says what it was doing.",
                        List.of("kubectl set resources " + workload + " " + Fixes.ns(o) + " -c " + KubectlCommands.quote(s.getName())
                                + " --limits=memory=" + more)));
                out.add(f);
                break;
            }
        }
        return out;
    }

    static String doubled(Quantity q) {
        BigDecimal bytes = Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(2));
        BigDecimal gi = BigDecimal.valueOf(1024L * 1024 * 1024);
        BigDecimal mi = BigDecimal.valueOf(1024L * 1024);
        if (bytes.remainder(gi).signum() == 0) {
            return bytes.divide(gi).toBigInteger() + "Gi";
        }
        return bytes.divide(mi, java.math.RoundingMode.CEILING).toBigInteger() + "Mi";
    }

    // Wrong image tag ------------------------------------------------------------------------------------

    static List<Finding> wrongImage(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Crash c : crashes(o)) {
            if (c.pod.service().isEmpty()) {
                continue;
            }
            ServiceSpec s = c.pod.service().get();
            if (!c.container.equals(s.container())) {
                continue;
            }
            String running = image(c.pod, c.container);
            String declared = o.profile().imageFor(s);
            if (running.equals(declared)) {
                continue;
            }
            ImageRef r = ImageRef.parse(running);
            ImageRef d = ImageRef.parse(declared);
            String why = r.repository().equals(d.repository()) && r.host().equals(d.host())
                    ? "runs tag " + r.reference() + "; the profile deploys " + d.reference()
                    : r.name().equals(d.name()) ? "runs " + r.host() + "/" + r.repository() + ", the profile deploys " + d.host() + "/" + d.repository()
                    : "runs " + running + ", not the profile's " + declared;
            Finding f = Finding.of(c.pod.subject(), PodView.CRASH, s.name() + " " + why + ", and its pod crashes at start: the image"
                    + " may not match the manifests and config of this fleet.")
                    .cause("Wrong image tag");
            f.evidence("spec", running, Evidences.containerSpec(c.pod, c.container, "image"));
            f.evidence("profile", declared, new EvidenceSource.Profile(s.name(), "image, tag"));
            c.pod.workload().flatMap(w -> o.revisions(w).stream().filter(x -> x.live()).findFirst()).flatMap(x -> x.changeCause())
                    .ifPresent(cause -> f.evidence("change-cause", cause,
                            new EvidenceSource.ObjectField(c.pod.workload().get().kind(), o.namespace(), c.pod.workload().get().name(),
                                    "metadata.annotations[kubernetes.io/change-cause]", ".metadata.annotations.kubernetes\\.io/change-cause")));
            Evidences.tail(c.log, 1).forEach(l -> f.evidence(List.of(Evidences.log(c.pod, c.container, c.previous, l))));
            f.fix(Fixes.redeploy(s, Optional.empty(), "Deploy the profile's image " + declared + " again"
                    + (s.natsConsumers() ? " by the safe path (scale to 0 first: " + s.name() + " has NATS consumers)." : " (a rolling update).")));
            out.add(f);
        }
        return out;
    }

    // Nothing recognised ---------------------------------------------------------------------------------

    static List<Finding> unrecognisedCrash(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Crash c : crashes(o)) {
            Optional<ContainerStatus> s = c.pod.status(c.container);
            var last = s.map(x -> x.getLastState() != null && x.getLastState().getTerminated() != null ? x.getLastState().getTerminated()
                    : x.getState() == null ? null : x.getState().getTerminated());
            String exit = last.map(t -> (t.getReason() == null ? "exit code " : t.getReason() + ", exit code ") + t.getExitCode()).orElse("no exit code yet");
            Finding f = Finding.of(c.pod.subject(), PodView.CRASH, c.container + " keeps dying at start (" + exit + ", "
                    + c.pod.state().restarts() + " restarts) with no cause the console knows in its log; its last words are below.")
                    .cause("Crashes at start");
            last.ifPresent(t -> f.evidence("status", exit, Evidences.containerStatus(c.pod, c.container, "lastState.terminated")));
            Evidences.tail(c.log, 3).forEach(l -> f.evidence(List.of(Evidences.log(c.pod, c.container, c.previous, l))));
            f.fix(new Fix.CommandFix("Read the previous run's log and the pod's events for the cause.",
                    List.of(KubectlCommands.in(o.namespace()).logs(c.pod.name(), Optional.of(c.container), true, false,
                            java.util.OptionalInt.of(100), false), KubectlCommands.in(o.namespace()).describePod(c.pod.name()))));
            out.add(f);
        }
        return out;
    }

    static String image(PodView p, String container) {
        return p.container(container).map(Container::getImage).orElse("");
    }

    static String workloadName(PodView p) {
        return p.workload().map(w -> w.name()).orElse(p.name());
    }
}
