package fleet.console.diagnosis;

import fleet.console.cluster.KubectlCommands;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.cluster.rollouts.Revision;
import fleet.console.profile.ServiceSpec;
import fleet.console.runbook.RunOptions;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The fixes the rules offer, built one way: runbooks with their options filled in, or exact commands. */
final class Fixes {

    private Fixes() {
    }

    /**
     * The runbook's redeploy of a service without a build: the safe path for NATS consumers (scale to 0,
     * wait, scale back). {@code tag} keeps the image it runs; empty deploys the profile's.
     */
    static Fix.RunbookFix redeploy(ServiceSpec s, Optional<String> tag, String summary) {
        RunOptions o = RunOptions.none().withService(s.name()).withSkipBuild(true);
        if (tag.isPresent()) {
            o = o.withTag(tag.get());
        }
        return new Fix.RunbookFix("redeploy", o, summary);
    }

    /** The tag to keep when restarting a service: the running one, when it lives where the profile's image does. */
    static Optional<String> runningTag(ServiceSpec s, String runningImage) {
        ImageRef running = ImageRef.parse(runningImage);
        ImageRef declared = ImageRef.parse(s.image() + ":" + s.tag());
        if (!running.digest() && running.host().equals(declared.host()) && running.repository().equals(declared.repository())) {
            return Optional.of(running.reference());
        }
        return Optional.empty();
    }

    static Fix.RunbookFix rollback(ServiceSpec s, long revision, String summary) {
        return new Fix.RunbookFix("rollback", RunOptions.none().withService(s.name()).withToRevision(revision), summary);
    }

    static Fix.RunbookFix scaleCycle(ServiceSpec s, String summary) {
        return new Fix.RunbookFix("scale-cycle", RunOptions.none().withService(s.name()), summary);
    }

    static Fix.RunbookFix natsCleanSlate(String summary) {
        return new Fix.RunbookFix("nats-clean-slate", RunOptions.none(), summary);
    }

    /**
     * The newest revision before the live one that the test accepts (an image that differs, a template
     * without a node selector...): what a rollback would go back to.
     */
    static Optional<Revision> earlierRevision(Observations o, WorkloadRef workload, Predicate<Revision> good) {
        List<Revision> revisions = o.revisions(workload);
        Optional<Revision> live = revisions.stream().filter(Revision::live).findFirst();
        return revisions.stream()
                .filter(r -> !r.live() && live.map(l -> r.number() < l.number()).orElse(true))
                .filter(good)
                .findFirst();
    }

    /** A rollback to an earlier revision that passes the test: the runbook for a profile service, else kubectl. */
    static Optional<Fix> rollbackWhere(Observations o, PodView p, Predicate<Revision> good, String why) {
        if (p.workload().isEmpty() || !"Deployment".equals(p.workload().get().kind()) && !"StatefulSet".equals(p.workload().get().kind())) {
            return Optional.empty();
        }
        WorkloadRef w = p.workload().get();
        return earlierRevision(o, w, good).map(r -> {
            String summary = "Roll back to revision " + r.number() + " (" + String.join(", ", r.images()) + ")" + why;
            if (p.service().isPresent()) {
                return rollback(p.service().get(), r.number(), summary);
            }
            return new Fix.CommandFix(summary, List.of("kubectl rollout undo " + w.kubectlName() + " -n "
                    + KubectlCommands.quote(o.namespace()) + " --to-revision=" + r.number()));
        });
    }

    static String ns(Observations o) {
        return "-n " + KubectlCommands.quote(o.namespace());
    }
}
