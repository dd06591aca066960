package fleet.console.cluster.rollouts;

import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;

import java.util.Optional;

/**
 * The image a workload runs next to the image the profile would deploy. The real fleet mixes
 * {@code registry.../swe-fleet/<svc>} (older manifests) and {@code registry.../swe-ai-fleet/<svc>} (the
 * build scripts); a redeploy from the console would switch from one to the other, so it is said before.
 */
public record ImageDrift(String workload, String container, String running, String declared, boolean differs, String explanation) {

    public static Optional<ImageDrift> of(WorkloadStatus w, FleetProfile profile) {
        Optional<ServiceSpec> spec = profile.service(w.name());
        if (spec.isEmpty() || !w.images().containsKey(spec.get().container())) {
            return Optional.empty();
        }
        String running = w.images().get(spec.get().container());
        String declared = profile.imageFor(spec.get());
        if (running.equals(declared)) {
            return Optional.of(new ImageDrift(w.name(), spec.get().container(), running, declared, false, "runs the profile's image"));
        }
        String runningRepo = repository(running);
        String declaredRepo = repository(declared);
        String why;
        if (runningRepo.equals(declaredRepo)) {
            why = "runs tag " + tag(running) + "; the profile deploys " + tag(declared);
        } else if (lastSegment(runningRepo).equals(lastSegment(declaredRepo))) {
            why = "runs " + runningRepo + " but the profile pushes to " + declaredRepo
                    + " (different registry path: a redeploy switches paths; check both hold the tags you expect)";
        } else {
            why = "runs " + running + ", not the profile's " + declared;
        }
        return Optional.of(new ImageDrift(w.name(), spec.get().container(), running, declared, true, why));
    }

    static String repository(String image) {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = noDigest.lastIndexOf(':');
        return colon > noDigest.lastIndexOf('/') ? noDigest.substring(0, colon) : noDigest;
    }

    static String tag(String image) {
        if (image.contains("@")) {
            return image.substring(image.indexOf('@') + 1);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }

    private static String lastSegment(String repository) {
        return repository.substring(repository.lastIndexOf('/') + 1);
    }
}
