package fleet.console.cluster.pods;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The pods informer's cache, keeping of each pod only what the informer and the table's rows need again:
 * its name, namespace, uid, resource version and owners. The rows are made from the full pod as each
 * change arrives; the cache is read again only to find a pod's workload when a ReplicaSet changes. A full
 * pod is several kilobytes of small objects: kept for each of 10,000 pods, every update left one more of
 * them for the collector to copy at its next pause (at 500 updates a second, about half of what each young
 * collection copied: the pods benchmark's young pauses took half as long without them).
 * <p>
 * Not a full state ({@link #isFullState()}): the informer then hands each listed pod to its handlers as it
 * arrives, whole, instead of reading it back from here once the list is complete.
 */
final class PodSkeletons implements ItemStore<Pod> {

    private final Map<String, Pod> pods = new ConcurrentHashMap<>();

    /** What is kept of a pod. */
    static Pod skeleton(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        ObjectMeta kept = new ObjectMeta();
        kept.setName(meta.getName());
        kept.setNamespace(meta.getNamespace());
        kept.setUid(meta.getUid());
        kept.setResourceVersion(meta.getResourceVersion());
        List<OwnerReference> owners = meta.getOwnerReferences();
        kept.setOwnerReferences(owners == null || owners.isEmpty() ? List.of() : new ArrayList<>(owners));
        Pod skeleton = new Pod();
        skeleton.setMetadata(kept);
        return skeleton;
    }

    @Override
    public String getKey(Pod pod) {
        return Cache.metaNamespaceKeyFunc(pod);
    }

    @Override
    public Pod put(String key, Pod pod) {
        return pods.put(key, skeleton(pod));
    }

    @Override
    public Pod remove(String key) {
        return pods.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return pods.keySet().stream();
    }

    @Override
    public Stream<Pod> values() {
        return pods.values().stream();
    }

    @Override
    public int size() {
        return pods.size();
    }

    @Override
    public Pod get(String key) {
        return pods.get(key);
    }

    @Override
    public boolean isFullState() {
        return false;
    }
}
