package fleet.console.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the rules over one moment's observations and puts their findings together: causes that compete
 * for the same symptom of the same subject are all kept, the weaker ones marked less sure; a failure that
 * lasts as long as another (a service that needs NATS while NATS is not ready) names it as its blocker;
 * the list comes most urgent first, blockers before what they block.
 */
public final class Diagnostician {

    private static final Logger LOG = Logger.getLogger(Diagnostician.class.getName());

    private final List<Rule> rules;

    public Diagnostician(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Diagnostician standard() {
        return new Diagnostician(Rules.all());
    }

    private record Hit(Rule rule, int order, Finding finding) {
    }

    public DiagnosisReport diagnose(Observations o) {
        Map<String, List<Hit>> bySymptom = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            List<Finding> found;
            try {
                found = rule.matcher().match(o);
            } catch (RuntimeException e) {
                // One rule tripping on an odd object must not hide what the others find.
                LOG.log(Level.WARNING, "Diagnosis rule " + rule.id() + " failed", e);
                continue;
            }
            for (Finding f : found) {
                bySymptom.computeIfAbsent(f.subject().label() + "|" + f.symptom, k -> new ArrayList<>()).add(new Hit(rule, i, f));
            }
        }
        boolean natsDown = !o.natsReady();
        List<Diagnosis> chosen = new ArrayList<>();
        Map<String, Integer> order = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        Map<String, Set<String>> provides = new LinkedHashMap<>();
        Map<String, Set<String>> needs = new LinkedHashMap<>();
        for (List<Hit> hits : bySymptom.values()) {
            List<Hit> specific = hits.stream().filter(h -> h.rule.role() == Rule.Role.SPECIFIC).toList();
            List<Hit> contributing = hits.stream().filter(h -> h.rule.role() == Rule.Role.CONTRIBUTING).toList();
            List<Hit> kept = new ArrayList<>(specific);
            if (!specific.isEmpty() || !contributing.isEmpty()) {
                kept.addAll(contributing);
            } else {
                kept.addAll(hits.stream().filter(h -> h.rule.role() == Rule.Role.FALLBACK).toList());
            }
            List<Diagnosis> group = new ArrayList<>();
            for (Hit h : kept) {
                Finding f = h.finding;
                Confidence confidence = f.confidence.orElse(h.rule.confidence());
                if (h.rule.role() == Rule.Role.CONTRIBUTING && !specific.isEmpty()) {
                    confidence = confidence.weaker();
                }
                String id = h.rule.id() + ":" + f.subject().label();
                for (int n = 2; !ids.add(id); n++) {
                    id = h.rule.id() + ":" + f.subject().label() + "#" + n;
                }
                Set<String> wants = new java.util.LinkedHashSet<>(f.needs);
                if (natsDown && f.provides.isEmpty() && usesNats(o, f.subject())) {
                    // Whatever else is wrong, this service will not be healthy while NATS is not ready.
                    wants.add(DiagnosisKeys.NATS);
                }
                needs.put(id, wants);
                provides.put(id, f.provides);
                order.put(id, h.order);
                group.add(new Diagnosis(id, h.rule.id(), f.cause.orElse(h.rule.cause()), f.explanation, f.subject(), f.symptom,
                        f.severity.orElse(h.rule.severity()), confidence, f.evidence, f.fix, f.section.orElse(h.rule.section()), List.of(),
                        List.of(), f.path));
            }
            for (Diagnosis d : group) {
                List<String> others = group.stream().map(Diagnosis::id).filter(x -> !x.equals(d.id())).toList();
                chosen.add(others.isEmpty() ? d : d.withCompeting(others));
            }
        }
        List<Diagnosis> linked = new ArrayList<>();
        Set<String> blockers = new HashSet<>();
        for (Diagnosis d : chosen) {
            List<String> by = new ArrayList<>();
            for (String key : needs.get(d.id())) {
                provides.forEach((id, keys) -> {
                    if (keys.contains(key) && !id.equals(d.id())) {
                        by.add(id);
                    }
                });
            }
            blockers.addAll(by);
            linked.add(by.isEmpty() ? d : d.withBlockedBy(by));
        }
        linked.sort(Comparator.<Diagnosis, Boolean>comparing(d -> !d.blockedBy().isEmpty())
                .thenComparing(d -> !blockers.contains(d.id()))
                .thenComparing(Diagnosis::severity)
                .thenComparing(Diagnosis::confidence)
                .thenComparing(d -> d.subject().workload().map(w -> w.name()).orElse(d.subject().name()))
                .thenComparing(d -> order.get(d.id()))
                .thenComparing(d -> d.subject().name()));
        Optional<String> natsNote = o.wholeNamespace() ? o.nats().problem() : Optional.empty();
        return new DiagnosisReport(o.namespace(), o.now(), linked, natsNote);
    }

    private static boolean usesNats(Observations o, Subject subject) {
        if (!subject.isPod()) {
            return false;
        }
        return o.pods().stream().filter(p -> p.name().equals(subject.name())).anyMatch(PodView::usesNats);
    }
}
