package fleet.console.sandbox.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;

import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fabric8 emulator (8.0, CRUD mode) with its objects also found by name. The emulator keeps every
 * object in one map and answers a request for one object ({@code GET .../pods/NAME}, and the lookup
 * before each create, update and patch) by testing every stored object against the request: with
 * 10,000 pods, creating them took four minutes and a status update 40 ms of the sandbox's event loop.
 * Here the map is wrapped so that each stored object is also filed under its name; a request that names
 * its object tests only the few stored under that name (the same test, so the same answer). Lists,
 * watches, label selectors and deletes still go the emulator's own way.
 *
 * <p>The map is a final field of the emulator and its lock a private one, replaced and reached by
 * reflection; if a later fabric8 renames them, the sandbox runs unindexed (as fast as the emulator
 * alone) and says so.
 */
final class IndexedEmulator extends KubernetesCrudDispatcher {

    private static final Logger LOG = Logger.getLogger(IndexedEmulator.class.getName());
    private static final String NAME = "name";

    private final NamedMap named;
    private final ReadWriteLock lock;

    IndexedEmulator() {
        NamedMap wrapped = null;
        ReadWriteLock found = null;
        try {
            found = EmulatorFields.lock(this);
            Field mapField = EmulatorFields.accessible(CrudDispatcher.class, "map");
            @SuppressWarnings("unchecked")
            Map<AttributeSet, String> stored = (Map<AttributeSet, String>) mapField.get(this);
            wrapped = new NamedMap(stored);
            mapField.set(this, wrapped);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "The emulator's store is not where fabric8 8.0 keeps it (" + e
                    + "); the sandbox looks objects up the emulator's way, slower with thousands of objects.");
            wrapped = null;
            found = null;
        }
        this.named = wrapped;
        this.lock = found;
    }

    /** Whether objects are found by name (false: the emulator's fields moved and lookups scan). */
    boolean indexed() {
        return named != null && map == named;
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        // Called by the create, update and patch handlers under the emulator's write lock.
        Attribute name = exactName(query);
        if (!indexed() || name == null) {
            return super.findResource(query);
        }
        for (Map.Entry<AttributeSet, String> e : named.storedUnder(name)) {
            if (e.getKey().matches(query)) {
                return e;
            }
        }
        return null;
    }

    @Override
    public MockResponse handleGet(String path) {
        if (!indexed() || isWatch(path)) {
            return super.handleGet(path);
        }
        AttributeSet query = attributeExtractor.fromPath(path);
        Attribute name = exactName(query);
        if (name == null) {
            return super.handleGet(path);
        }
        lock.readLock().lock();
        try {
            // As the emulator answers a request that names its object: the first match, or 404.
            for (Map.Entry<AttributeSet, String> e : named.storedUnder(name)) {
                if (e.getKey().matches(query)) {
                    return new MockResponse().setBody(e.getValue()).setResponseCode(200);
                }
            }
            return new MockResponse().setResponseCode(404);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The stored object's {@code metadata.resourceVersion}, read once per stored version of it (a watch
     * opening from a version asks this of every object); {@code read} reads it from the JSON.
     */
    long versionOf(AttributeSet key, String json, java.util.function.ToLongFunction<String> read) {
        if (!indexed()) {
            return read.applyAsLong(json);
        }
        Versioned known = named.versions.get(key);
        if (known != null && known.json == json) {
            return known.version;
        }
        long version = read.applyAsLong(json);
        named.versions.put(key, new Versioned(json, version));
        return version;
    }

    private record Versioned(String json, long version) {
    }

    /** A name the request must have exactly (a path's name; not a selector's "name != x"). */
    private static Attribute exactName(AttributeSet query) {
        if (query == null || !query.containsKey(NAME)) {
            return null;
        }
        Attribute name = query.getAttribute(NAME);
        return name != null && name.getType() == AttributeType.WITH && name.getValues().size() == 1 ? name : null;
    }

    private static boolean isWatch(String path) {
        int q = path.indexOf('?');
        return q >= 0 && path.indexOf("watch=", q) >= 0;
    }

    /**
     * The emulator's map, every key also filed under its name attribute. Writes come through
     * {@link #put}, {@link #remove} and {@link #clear} (the emulator's only writes, under its write
     * lock); the views it reads are read-only, so nothing can change the map behind the index.
     */
    static final class NamedMap extends AbstractMap<AttributeSet, String> {
        private final Map<AttributeSet, String> stored;
        private final Map<Attribute, List<AttributeSet>> byName = new HashMap<>();
        /** Versions read so far, each with the stored text it was read from (read by concurrent watches). */
        private final Map<AttributeSet, Versioned> versions = new java.util.concurrent.ConcurrentHashMap<>();

        NamedMap(Map<AttributeSet, String> stored) {
            this.stored = stored;
            stored.keySet().forEach(this::file);
        }

        synchronized List<Map.Entry<AttributeSet, String>> storedUnder(Attribute name) {
            List<AttributeSet> keys = byName.get(name);
            if (keys == null) {
                return List.of();
            }
            List<Map.Entry<AttributeSet, String>> out = new ArrayList<>(keys.size());
            for (AttributeSet key : keys) {
                String value = stored.get(key);
                if (value != null) {
                    out.add(new SimpleImmutableEntry<>(key, value));
                }
            }
            return out;
        }

        private void file(AttributeSet key) {
            Attribute name = key.getAttribute(NAME);
            if (name != null) {
                List<AttributeSet> keys = byName.computeIfAbsent(name, n -> new ArrayList<>(1));
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
        }

        private void unfile(Object key) {
            if (key instanceof AttributeSet set) {
                Attribute name = set.getAttribute(NAME);
                List<AttributeSet> keys = name == null ? null : byName.get(name);
                if (keys != null) {
                    keys.remove(set);
                    if (keys.isEmpty()) {
                        byName.remove(name);
                    }
                }
            }
        }

        @Override
        public synchronized String put(AttributeSet key, String value) {
            String old = stored.put(key, value);
            // The version read from the old text goes with it.
            versions.remove(key);
            file(key);
            return old;
        }

        @Override
        public synchronized String remove(Object key) {
            String old = stored.remove(key);
            if (key != null) {
                versions.remove(key);
            }
            if (!stored.containsKey(key)) {
                unfile(key);
            }
            return old;
        }

        @Override
        public synchronized void clear() {
            stored.clear();
            versions.clear();
            byName.clear();
        }

        @Override
        public String get(Object key) {
            return stored.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return stored.containsKey(key);
        }

        @Override
        public int size() {
            return stored.size();
        }

        @Override
        public Set<Map.Entry<AttributeSet, String>> entrySet() {
            return Collections.unmodifiableSet(stored.entrySet());
        }

        @Override
        public Set<AttributeSet> keySet() {
            return Collections.unmodifiableSet(stored.keySet());
        }

        @Override
        public Collection<String> values() {
            return Collections.unmodifiableCollection(stored.values());
        }
    }
}
