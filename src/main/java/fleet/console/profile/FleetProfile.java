package fleet.console.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fleet the console operates: namespace, registry, workloads, the JetStream streams that
 * should exist and the councils the orchestrator should hold. Built-in defaults describe the fleet
 * of the operations runbook; a user's file changes only what it names.
 *
 * @param source a description of where the profile came from, for the status bar and logs
 */
public record FleetProfile(
        String namespace,
        RegistrySpec registry,
        List<ServiceSpec> services,
        List<StreamSpec> streams,
        CouncilSpec councils,
        String source) {

    /** Class-path location of the built-in defaults. */
    public static final String DEFAULTS_RESOURCE = "/fleet/console/profile/default-profile.yaml";
    /** The file name problems in the built-in defaults are reported against. */
    public static final String DEFAULTS_NAME = "built-in default-profile.yaml";

    public FleetProfile {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(councils, "councils");
        Objects.requireNonNull(source, "source");
        services = List.copyOf(services);
        streams = List.copyOf(streams);
    }

    /** The fleet of the operations runbook, as shipped with the console. */
    public static FleetProfile defaults() {
        return Defaults.PROFILE;
    }

    /** The defaults overridden by a user's profile file. */
    public static FleetProfile load(Path userFile) throws ProfileException {
        String file = userFile.toString();
        String text;
        try {
            if (Files.isDirectory(userFile)) {
                throw refusal(file, "is a directory, not a profile file: give the path of a .yaml file");
            }
            text = Files.readString(userFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw refusal(file, "profile file not found: check the path (given with --profile or found in the"
                    + " config directory), or start without --profile to use the built-in defaults");
        } catch (AccessDeniedException e) {
            throw refusal(file, "profile file cannot be read (permission denied): check its permissions");
        } catch (CharacterCodingException e) {
            throw refusal(file, "profile file is not UTF-8 text: save it as UTF-8");
        } catch (IOException e) {
            throw refusal(file, "profile file cannot be read (" + e.getMessage() + ")");
        }
        return overDefaults(text, file, file + " over the built-in defaults");
    }

    /** The defaults overridden by profile text, as if it were a file named {@code sourceName}. */
    public static FleetProfile parse(String yaml, String sourceName) throws ProfileException {
        return overDefaults(yaml, sourceName, sourceName + " over the built-in defaults");
    }

    public Optional<ServiceSpec> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The services a redeploy or a NATS reset must scale to 0 first, in profile order. */
    public List<ServiceSpec> servicesWithNatsConsumers() {
        return services.stream().filter(ServiceSpec::natsConsumers).toList();
    }

    public Optional<StreamSpec> stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The service a durable consumer belongs to. A service naming the durable literally wins over
     * one matching it by pattern; among patterns, the first service in the profile wins.
     */
    public Optional<ServiceSpec> ownerOfDurable(String durable) {
        return services.stream().filter(s -> s.durables().contains(durable)).findFirst()
                .or(() -> services.stream().filter(s -> s.ownsDurable(durable)).findFirst());
    }

    /** The image reference the console would deploy for a service: {@code repository:tag}. */
    public String imageFor(ServiceSpec service) {
        return service.image() + ":" + service.tag();
    }

    private static FleetProfile overDefaults(String text, String file, String source) throws ProfileException {
        ProblemList problems = new ProblemList();
        Optional<ProfileDocument> user = ProfileDocument.read(text, file, problems);
        if (user.isEmpty()) {
            problems.throwIfAny();
        }
        // Problems of the file alone are reported together with those of the merged result.
        return ProfileAssembler.assemble(List.of(Defaults.DOCUMENT, user.orElseThrow()), source, problems);
    }

    private static ProfileException refusal(String file, String message) {
        return new ProfileException(List.of(new ProfileProblem(file, 0, 0, message)));
    }

    /** Read once: the resource cannot change while the console runs. */
    private static final class Defaults {
        static final ProfileDocument DOCUMENT;
        static final FleetProfile PROFILE;

        static {
            String text;
            try (InputStream in = FleetProfile.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the class path");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
            }
            ProblemList problems = new ProblemList();
            try {
                Optional<ProfileDocument> document = ProfileDocument.read(text, DEFAULTS_NAME, problems);
                problems.throwIfAny();
                DOCUMENT = document.orElseThrow();
                PROFILE = ProfileAssembler.assemble(List.of(DOCUMENT), "built-in defaults", problems);
            } catch (ProfileException e) {
                throw new IllegalStateException("the built-in profile is refused:\n" + e.getMessage(), e);
            }
        }
    }
}
