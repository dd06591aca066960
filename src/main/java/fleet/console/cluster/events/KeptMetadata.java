package fleet.console.cluster.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer's cache that keeps of each object only what the informer and {@link LiveRows} need again: its
 * name, namespace, uid, resource version and owners. The rows are made from the whole object as each change
 * arrives; the cache is read again only to make a row again from what it kept (a pod's workload when a
 * ReplicaSet changes). A whole pod or event is several kilobytes of small objects: kept for each of 10,000
 * pods, every update left one more of them for the collector to copy at its next pause (at 500 updates a
 * second, about half of what each young collection copied: the pods benchmark's young pauses took half as
 * long without them).
 * <p>
 * Not a full state ({@link #isFullState()}): the informer then hands each listed object to its handlers as it
 * arrives, whole, instead of reading it back from here once the list is complete.
 *
 * @param <T> the kind of object, made empty by the supplier given, with only the kept metadata when read
 */
public final class KeptMetadata<T extends HasMetadata> implements ItemStore<T> {

    /**
     * What is kept of an object. An update usually changes only its version: the other fields are those of
     * the entry before (the same objects), so each update leaves one small object and its version.
     */
    private record Kept(String name, String namespace, String uid, String resourceVersion, List<OwnerReference> owners) {

        static Kept of(HasMetadata object, Kept before) {
            ObjectMeta meta = object.getMetadata();
            List<OwnerReference> owners = meta.getOwnerReferences() == null || meta.getOwnerReferences().isEmpty()
                    ? List.of() : meta.getOwnerReferences();
            if (before != null && Objects.equals(before.name, meta.getName()) && Objects.equals(before.namespace, meta.getNamespace())
                    && Objects.equals(before.uid, meta.getUid()) && before.owners.equals(owners)) {
                return new Kept(before.name, before.namespace, before.uid, meta.getResourceVersion(), before.owners);
            }
            return new Kept(meta.getName(), meta.getNamespace(), meta.getUid(), meta.getResourceVersion(), List.copyOf(owners));
        }
    }

    private final Supplier<T> empty;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /** @param empty makes an object of the kind without metadata ({@code Pod::new}) */
    public KeptMetadata(Supplier<T> empty) {
        this.empty = Objects.requireNonNull(empty);
    }

    /** An object with only the kept metadata, made when the cache is read (rarely: a ReplicaSet changed, a relist). */
    private T object(Kept k) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(k.name());
        meta.setNamespace(k.namespace());
        meta.setUid(k.uid());
        meta.setResourceVersion(k.resourceVersion());
        meta.setOwnerReferences(k.owners());
        T object = empty.get();
        object.setMetadata(meta);
        return object;
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    /** The informer's cache calls this holding its lock, one change at a time. */
    @Override
    public T put(String key, T object) {
        Kept before = kept.get(key);
        kept.put(key, Kept.of(object, before));
        return before == null ? null : object(before);
    }

    @Override
    public T remove(String key) {
        Kept old = kept.remove(key);
        return old == null ? null : object(old);
    }

    @Override
    public Stream<String> keySet() {
        return kept.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return kept.values().stream().map(this::object);
    }

    @Override
    public int size() {
        return kept.size();
    }

    @Override
    public T get(String key) {
        Kept k = kept.get(key);
        return k == null ? null : object(k);
    }

    @Override
    public boolean isFullState() {
        return false;
    }
}
