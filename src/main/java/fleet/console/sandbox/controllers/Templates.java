package fleet.console.sandbox.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/** Pod-template hashing and naming as Kubernetes does them, and owner-reference helpers. */
public final class Templates {

    public static final String POD_TEMPLATE_HASH = "pod-template-hash";
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";
    /** The characters Kubernetes uses for generated names: no vowels, no look-alikes. */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private Templates() {
    }

    /**
     * A stable hash of a pod template, ignoring the pod-template-hash label itself, so that a
     * ReplicaSet's template and the Deployment's compare equal exactly when Kubernetes would say so.
     */
    public static String hash(PodTemplateSpec template) {
        PodTemplateSpec copy = Serialization.clone(template);
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            copy.getMetadata().getLabels().remove(POD_TEMPLATE_HASH);
            copy.getMetadata().getLabels().remove("controller-revision-hash");
        }
        String canonical = canonical(Serialization.unmarshal(Serialization.asJson(copy), Object.class));
        int h = 0x811c9dc5;
        for (byte b : canonical.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        return encode(Integer.toUnsignedLong(h));
    }

    private static String canonical(Object node) {
        if (node instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    sorted.put(String.valueOf(k), v);
                }
            });
            return sorted.entrySet().stream().map(e -> e.getKey() + ":" + canonical(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (node instanceof List<?> list) {
            return list.stream().map(Templates::canonical).collect(Collectors.joining(",", "[", "]"));
        }
        return String.valueOf(node);
    }

    private static String encode(long value) {
        StringBuilder out = new StringBuilder();
        long v = value;
        do {
            out.append(ALPHABET.charAt((int) (v % ALPHABET.length())));
            v /= ALPHABET.length();
        } while (v > 0);
        while (out.length() < 9) {
            out.append(ALPHABET.charAt(out.length() % ALPHABET.length()));
        }
        return out.toString();
    }

    /** The five random characters of generated names ({@code orchestrator-7d9f8b6c5-x2k4p}). */
    public static String randomSuffix() {
        StringBuilder out = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            out.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    public static boolean ownedBy(HasMetadata object, HasMetadata owner) {
        return controllerUid(object).map(uid -> uid.equals(owner.getMetadata().getUid())).orElse(false);
    }

    public static Optional<String> controllerUid(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null) {
            return Optional.empty();
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).map(OwnerReference::getUid).findFirst();
    }

    public static long revisionOf(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (annotations == null || annotations.get(REVISION) == null) {
            return 0;
        }
        try {
            return Long.parseLong(annotations.get(REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
