package fleet.console.sandbox.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;

import java.lang.reflect.Field;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The fabric8 8.0 emulator's private fields the sandbox reaches ({@link ClosingWatches},
 * {@link ResumedWatches}, {@link IndexedEmulator}): one place that names them. A later fabric8 that
 * renames one makes these throw, and each caller falls back to the emulator's own behaviour.
 */
final class EmulatorFields {

    private EmulatorFields() {
    }

    /** The lock the emulator holds around every read (read lock) and write (write lock) of its store. */
    static ReadWriteLock lock(KubernetesCrudDispatcher emulator) throws ReflectiveOperationException {
        return (ReadWriteLock) accessible(KubernetesCrudDispatcher.class, "lock").get(emulator);
    }

    /** A declared field of {@code owner}, made accessible. */
    static Field accessible(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
