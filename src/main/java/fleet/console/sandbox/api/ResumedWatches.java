package fleet.console.sandbox.api;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A watch asked from a resourceVersion starts after it, as on a real API server. The emulator (fabric8
 * 8.0 {@code KubernetesCrudDispatcher.handleWatch}) opens every watch by sending each matching object
 * as ADDED, whatever version was asked for. An informer lists first and then watches from the list's
 * version, so with 10,000 pods it received all 10,000 a second time, each serialized by the sandbox and
 * decoded by the client just when the console was drawing the first list. Here a watch from version
 * {@code v} opens with the objects changed after {@code v} only; a watch without a version (or from
 * "0") still gets every object, which is what Kubernetes does too.
 *
 * <p>What the emulator keeps is reached by reflection (its open action, its watch's methods, its lock);
 * if a later version renames them, watches open the emulator's way and the sandbox says so.
 */
final class ResumedWatches {

    private static final Logger LOG = Logger.getLogger(ResumedWatches.class.getName());
    private static final JsonFactory JSON = new JsonFactory();

    private final KubernetesCrudDispatcher emulator;
    private final ReadWriteLock lock;
    private final Field onOpenAction;
    private final Method attributeMatches;
    private final Method send;

    private ResumedWatches(KubernetesCrudDispatcher emulator, ReadWriteLock lock, Field onOpenAction, Method attributeMatches, Method send) {
        this.emulator = emulator;
        this.lock = lock;
        this.onOpenAction = onOpenAction;
        this.attributeMatches = attributeMatches;
        this.send = send;
    }

    static ResumedWatches of(KubernetesCrudDispatcher emulator) {
        try {
            Class<?> watchType = Class.forName("io.fabric8.kubernetes.client.server.mock.WatchEventsListener");
            Field action = EmulatorFields.accessible(watchType, "onOpenAction");
            Method matches = watchType.getDeclaredMethod("attributeMatches", AttributeSet.class);
            matches.setAccessible(true);
            Method send = watchType.getDeclaredMethod("sendWebSocketResponse", String.class, Watcher.Action.class);
            send.setAccessible(true);
            return new ResumedWatches(emulator, EmulatorFields.lock(emulator), action, matches, send);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "The emulator's watch is not as fabric8 8.0 made it (" + e
                    + "); every watch opens with every object, whatever resourceVersion it asks for.");
            return new ResumedWatches(emulator, null, null, null, null);
        }
    }

    /** Whether watches from a version start after it (false: the emulator's fields changed). */
    boolean effective() {
        return onOpenAction != null;
    }

    /**
     * Makes the emulator's watch, answering the request for {@code uri}, open with only the objects
     * changed after the version the request asks for (none asked: left as it is).
     */
    void resume(Object watch, String uri) {
        OptionalLong since = resourceVersion(uri);
        if (onOpenAction == null || since.isEmpty() || !onOpenAction.getDeclaringClass().isInstance(watch)) {
            return;
        }
        long after = since.getAsLong();
        Consumer<Object> opening = w -> {
            lock.readLock().lock();
            try {
                for (Map.Entry<AttributeSet, String> entry : emulator.getMap().entrySet()) {
                    if ((Boolean) attributeMatches.invoke(w, entry.getKey()) && versionOf(entry) > after) {
                        send.invoke(w, entry.getValue(), Watcher.Action.ADDED);
                    }
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Could not open a watch from version " + after, e);
            } finally {
                lock.readLock().unlock();
            }
        };
        try {
            onOpenAction.set(watch, opening);
        } catch (IllegalAccessException e) {
            LOG.log(Level.FINE, "A watch opens with every object", e);
        }
    }

    /** The {@code resourceVersion} a watch request asks to start from; empty when none, or "0" (any). */
    static OptionalLong resourceVersion(String uri) {
        String query;
        try {
            query = new URI(uri).getRawQuery();
        } catch (URISyntaxException e) {
            return OptionalLong.empty();
        }
        if (query == null) {
            return OptionalLong.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && "resourceVersion".equals(pair.substring(0, eq))) {
                try {
                    long v = Long.parseLong(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** A stored object's version; read once per stored text when the emulator keeps them (IndexedEmulator). */
    private long versionOf(Map.Entry<AttributeSet, String> entry) {
        return emulator instanceof IndexedEmulator indexed
                ? indexed.versionOf(entry.getKey(), entry.getValue(), ResumedWatches::version)
                : version(entry.getValue());
    }

    /** Whether the stored object's {@code metadata.resourceVersion} is after {@code version} (unreadable: yes). */
    static boolean changedAfter(String json, long version) {
        return version(json) > version;
    }

    /** The stored object's {@code metadata.resourceVersion}; unreadable: {@link Long#MAX_VALUE} (after any). */
    static long version(String json) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Long.MAX_VALUE;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("metadata".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("resourceVersion".equals(name) && v == JsonToken.VALUE_STRING) {
                            return Long.parseLong(p.getString());
                        }
                        p.skipChildren();
                    }
                    return Long.MAX_VALUE;
                }
                p.skipChildren();
            }
            return Long.MAX_VALUE;
        } catch (JacksonException | NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
