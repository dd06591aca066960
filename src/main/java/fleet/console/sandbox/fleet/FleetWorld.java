package fleet.console.sandbox.fleet;

import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the simulated fleet's processes share with the sandbox around them: the profile, where the real
 * NATS server is (or that there is none), and which faults are in force. Read from the kubelet's
 * threads, written by fault injection.
 */
public final class FleetWorld {

    private final FleetProfile profile;
    private final Supplier<Optional<String>> natsUrl;
    private final boolean natsInstalled;
    private final Set<String> crashing = ConcurrentHashMap.newKeySet();
    private final Set<String> doubleBinding = ConcurrentHashMap.newKeySet();
    private final Set<String> outOfMemory = ConcurrentHashMap.newKeySet();
    private final Set<String> brokenImages = ConcurrentHashMap.newKeySet();
    private final Map<String, ImageFlaw> flawedImages = new ConcurrentHashMap<>();
    private final Set<String> failingProbePaths = ConcurrentHashMap.newKeySet();
    private final Set<String> stalledPods = ConcurrentHashMap.newKeySet();

    /** What is wrong with the code inside an image that pulls fine. */
    public enum ImageFlaw {
        /** Imports a module the src/ to core/ move renamed. */
        IMPORT_ERROR,
        /** An older build: it reads a config file the current manifests no longer mount. */
        OLD_BUILD
    }
    /** Push bindings of the double-bind case: durable to the version holding it and its pods. */
    private final Map<String, Map<String, String>> volumes = new ConcurrentHashMap<>();
    private final Map<String, Holding> pushBindings = new java.util.HashMap<>();

    /** Pods of one version (pod template) bound to a push durable, as a deliver group of that version would be. */
    private record Holding(String version, Set<String> pods) {
    }
    private volatile boolean natsDown;

    /**
     * @param natsUrl       the running server's URL on loopback, empty while it is stopped
     * @param natsInstalled whether a real server exists at all; without one, NATS is simulated as up
     */
    public FleetWorld(FleetProfile profile, Supplier<Optional<String>> natsUrl, boolean natsInstalled) {
        this.profile = profile;
        this.natsUrl = natsUrl;
        this.natsInstalled = natsInstalled;
    }

    /**
     * The files a pod's data volume holds (path -> content), kept across container restarts as a
     * persistent volume keeps them; keyed by the pod's claim owner, {@code namespace/pod}.
     */
    public Map<String, String> volume(String namespace, String pod) {
        return volumes.computeIfAbsent(namespace + "/" + pod, k -> new ConcurrentHashMap<>());
    }

    /**
     * The NATS pod's volume went with its namespace: every stream (and its consumers and messages) is
     * gone, as a real nats-0 on a fresh claim starts empty. Blocks for the few calls it takes.
     */
    public void wipeJetStream() {
        natsUrl.get().ifPresent(url -> {
            try (NatsSession session = NatsSession.connect(url, "sandbox-volume-reset")) {
                var jsm = session.management();
                for (String stream : jsm.getStreamNames()) {
                    jsm.deleteStream(stream);
                }
                streamsCreated = new java.util.concurrent.CompletableFuture<>();
            } catch (RuntimeException | java.io.IOException | io.nats.client.JetStreamApiException e) {
                java.util.logging.Logger.getLogger(FleetWorld.class.getName()).fine("could not empty JetStream: " + e.getMessage());
            }
        });
    }

    /** A namespace was deleted: its volumes went with their claims. */
    public void dropVolumes(String namespace) {
        volumes.keySet().removeIf(k -> k.startsWith(namespace + "/"));
    }

    /**
     * Completed once the init-streams job has created the profile's streams (again after JetStream was
     * emptied with its namespace): the fleet is deployed streams first, so a service's first start waits
     * for it rather than racing the job when the sandbox seeds everything at once.
     */
    private volatile java.util.concurrent.CompletableFuture<Void> streamsCreated = new java.util.concurrent.CompletableFuture<>();

    public java.util.concurrent.CompletableFuture<Void> streamsCreated() {
        return streamsCreated;
    }

    /** The init-streams job ran: services that wait for the streams go on. */
    public void markStreamsCreated() {
        streamsCreated.complete(null);
    }

    public FleetProfile profile() {
        return profile;
    }

    /** The service a container belongs to, by the profile's container names. */
    public Optional<ServiceSpec> serviceOfContainer(String container) {
        return profile.services().stream().filter(s -> s.container().equals(container)).findFirst();
    }

    /** Where a simulated process reaches NATS; empty when NATS is down (or there is no real server). */
    public Optional<String> natsUrl() {
        return natsDown ? Optional.empty() : natsUrl.get();
    }

    public boolean natsInstalled() {
        return natsInstalled;
    }

    /** NATS answers: the real server runs, or there is none and it is simulated as up. */
    public boolean natsReachable() {
        return !natsDown && (!natsInstalled || natsUrl.get().isPresent());
    }

    public void setNatsDown(boolean down) {
        this.natsDown = down;
    }

    public boolean natsDown() {
        return natsDown;
    }

    public boolean crashing(String service) {
        return crashing.contains(service);
    }

    public void setCrashing(String service, boolean on) {
        if (on) {
            crashing.add(service);
        } else {
            crashing.remove(service);
        }
    }

    public boolean doubleBinding(String service) {
        return doubleBinding.contains(service);
    }

    public void setDoubleBinding(String service, boolean on) {
        if (on) {
            doubleBinding.add(service);
        } else {
            doubleBinding.remove(service);
        }
    }

    public boolean outOfMemory(String service) {
        return outOfMemory.contains(service);
    }

    public void setOutOfMemory(String service, boolean on) {
        if (on) {
            outOfMemory.add(service);
        } else {
            outOfMemory.remove(service);
        }
    }

    public boolean imageBroken(String image) {
        return brokenImages.contains(image);
    }

    /** An image no registry has, for good: a typo'd tag never becomes pullable. */
    public void breakImage(String image) {
        brokenImages.add(image);
    }

    public Optional<ImageFlaw> imageFlaw(String image) {
        return Optional.ofNullable(image == null ? null : flawedImages.get(image));
    }

    public void setImageFlaw(String image, ImageFlaw flaw) {
        if (flaw == null) {
            flawedImages.remove(image);
        } else {
            flawedImages.put(image, flaw);
        }
    }

    /** An HTTP path the fleet's services answer 404 for (a readiness probe pointed at it fails). */
    public boolean probePathFails(String path) {
        return path != null && failingProbePaths.contains(path);
    }

    public void setProbePathFailing(String path, boolean failing) {
        if (failing) {
            failingProbePaths.add(path);
        } else {
            failingProbePaths.remove(path);
        }
    }

    /** A pod whose consumer loop died: the process runs and answers, but pulls nothing any more. */
    public boolean stalled(String podUid) {
        return stalledPods.contains(podUid);
    }

    public void setStalled(String podUid, boolean stalled) {
        if (stalled) {
            stalledPods.add(podUid);
        } else {
            stalledPods.remove(podUid);
        }
    }

    /**
     * Binds a pod to a push durable. Pods of the same version share it (they run the same subscription
     * code); a pod of another version is refused while any pod of the holding version still runs, which is
     * the overlap of a rolling update: "consumer is already bound to a subscription".
     */
    public synchronized boolean bindPush(String durable, String version, String podUid) {
        Holding h = pushBindings.get(durable);
        if (h == null || h.pods().isEmpty() || h.version().equals(version)) {
            Holding next = h != null && h.version().equals(version) ? h : new Holding(version, new java.util.HashSet<>());
            next.pods().add(podUid);
            pushBindings.put(durable, next);
            return true;
        }
        return false;
    }

    /** The pod's process is gone: its binding with it. */
    public synchronized void releasePush(String durable, String podUid) {
        Holding h = pushBindings.get(durable);
        if (h != null) {
            h.pods().remove(podUid);
            if (h.pods().isEmpty()) {
                pushBindings.remove(durable);
            }
        }
    }
}
