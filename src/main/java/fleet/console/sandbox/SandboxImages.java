package fleet.console.sandbox;

import fleet.console.sandbox.fleet.FleetWorld;
import fleet.console.sandbox.kubelet.ImagePolicy;
import fleet.console.sandbox.registry.RegistryProcess;

import java.util.Optional;

/**
 * Which images the sandbox's node can pull: one in the sandbox's own registry only if it was pushed
 * there; one of any other registry unless a fault broke its tag (the sandbox cannot ask the internet).
 */
final class SandboxImages implements ImagePolicy {

    private final FleetWorld world;
    private final Optional<RegistryProcess> registry;

    SandboxImages(FleetWorld world, Optional<RegistryProcess> registry) {
        this.world = world;
        this.registry = registry;
    }

    @Override
    public Optional<String> pullError(String image) {
        if (world.imageBroken(image)) {
            return Optional.of(notFound(image));
        }
        if (registry.isPresent() && registry.get().isRunning() && image.startsWith(registry.get().host() + "/")) {
            String rest = image.substring(registry.get().host().length() + 1);
            String repository;
            String reference;
            int at = rest.indexOf('@');
            if (at >= 0) {
                repository = rest.substring(0, at);
                reference = rest.substring(at + 1);
            } else {
                int colon = rest.lastIndexOf(':');
                repository = colon > rest.lastIndexOf('/') ? rest.substring(0, colon) : rest;
                reference = colon > rest.lastIndexOf('/') ? rest.substring(colon + 1) : "latest";
            }
            return registry.get().hasManifest(repository, reference) ? Optional.empty() : Optional.of(notFound(image));
        }
        return Optional.empty();
    }

    private static String notFound(String image) {
        return "rpc error: code = NotFound desc = failed to pull and unpack image \"" + image
                + "\": failed to resolve reference \"" + image + "\": " + image + ": not found";
    }
}
