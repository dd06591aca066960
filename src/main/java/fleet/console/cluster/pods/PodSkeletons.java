package fleet.console.cluster.pods;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /**
     * What is kept of a pod. An update of a pod usually changes only its version: the other fields are
     * those of the entry before (the same objects), so each update leaves one small object and its version.
     */
    private record Kept(String name, String namespace, String uid, String resourceVersion, List<OwnerReference> owners) {

        static Kept of(Pod pod, Kept before) {
            ObjectMeta meta = pod.getMetadata();
            List<OwnerReference> owners = meta.getOwnerReferences() == null || meta.getOwnerReferences().isEmpty()
                    ? List.of() : meta.getOwnerReferences();
            if (before != null && Objects.equals(before.name, meta.getName()) && Objects.equals(before.namespace, meta.getNamespace())
                    && Objects.equals(before.uid, meta.getUid()) && before.owners.equals(owners)) {
                return new Kept(before.name, before.namespace, before.uid, meta.getResourceVersion(), before.owners);
            }
            return new Kept(meta.getName(), meta.getNamespace(), meta.getUid(), meta.getResourceVersion(), List.copyOf(owners));
        }

        /** A pod with only this metadata, made when the cache is read (rarely: a ReplicaSet changed, a relist). */
        Pod pod() {
            ObjectMeta meta = new ObjectMeta();
            meta.setName(name);
            meta.setNamespace(namespace);
            meta.setUid(uid);
            meta.setResourceVersion(resourceVersion);
            meta.setOwnerReferences(owners);
            Pod pod = new Pod();
            pod.setMetadata(meta);
            return pod;
        }
    }

    private final Map<String, Kept> pods = new ConcurrentHashMap<>();

    @Override
    public String getKey(Pod pod) {
        return Cache.metaNamespaceKeyFunc(pod);
    }

    /** The informer's cache calls this holding its lock, one change at a time. */
    @Override
    public Pod put(String key, Pod pod) {
        Kept before = pods.get(key);
        pods.put(key, Kept.of(pod, before));
        return before == null ? null : before.pod();
    }

    @Override
    public Pod remove(String key) {
        Kept old = pods.remove(key);
        return old == null ? null : old.pod();
    }

    @Override
    public Stream<String> keySet() {
        return pods.keySet().stream();
    }

    @Override
    public Stream<Pod> values() {
        return pods.values().stream().map(Kept::pod);
    }

    @Override
    public int size() {
        return pods.size();
    }

    @Override
    public Pod get(String key) {
        Kept kept = pods.get(key);
        return kept == null ? null : kept.pod();
    }

    @Override
    public boolean isFullState() {
        return false;
    }
}
