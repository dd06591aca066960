package fleet.console.image;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tag of the runbook's scheme, {@code vMAJOR.MINOR.PATCH} with an optional {@code -descriptor}
 * ({@code v3.0.0-core-refactor}). A bump starts from the tag a cluster runs and drops the
 * descriptor: it named that release (the runbook's v3.0.0-core-refactor was followed by v3.0.1),
 * and a new one is given with {@link #withDescriptor}.
 */
public record ImageTag(int major, int minor, int patch, Optional<String> descriptor) {

    /** A registry tag is at most 128 characters of letters, digits, '_', '.' and '-'. */
    private static final Pattern REGISTRY_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern SCHEME = Pattern.compile(
            "v(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})(?:-([A-Za-z0-9][A-Za-z0-9.-]*))?");
    private static final Pattern DESCRIPTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

    public ImageTag {
        Objects.requireNonNull(descriptor, "descriptor");
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("a version part is negative: " + major + "." + minor + "." + patch);
        }
        descriptor.ifPresent(d -> {
            if (!DESCRIPTOR.matcher(d).matches()) {
                throw new IllegalArgumentException(descriptorProblem(d));
            }
        });
    }

    /** The tag when it follows the scheme. */
    public static Optional<ImageTag> parse(String tag) {
        Matcher m = SCHEME.matcher(tag);
        if (!m.matches() || tag.length() > 128) {
            return Optional.empty();
        }
        return Optional.of(new ImageTag(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Optional.ofNullable(m.group(4))));
    }

    /** Whether a registry would take the text as a tag at all (the scheme aside). */
    public static boolean isRegistryTag(String tag) {
        return REGISTRY_TAG.matcher(tag).matches();
    }

    /** Why a tag is refused, with an example; empty when it follows the scheme. */
    public static Optional<String> problemWith(String tag) {
        if (!isRegistryTag(tag)) {
            return Optional.of("\"" + tag + "\" is not a valid image tag: a tag is up to 128 letters, digits, '_', '.'"
                    + " and '-', not starting with '.' or '-'; the fleet's tags read vMAJOR.MINOR.PATCH-descriptor, e.g."
                    + " v3.0.1 or v3.0.1-hotfix");
        }
        if (parse(tag).isEmpty()) {
            return Optional.of("\"" + tag + "\" does not follow the runbook's scheme vMAJOR.MINOR.PATCH-descriptor: write"
                    + " e.g. v3.0.1 or v3.0.1-hotfix (a leading v, three numbers, an optional -descriptor)");
        }
        return Optional.empty();
    }

    public ImageTag bump(TagBump bump) {
        return switch (bump) {
            case PATCH -> new ImageTag(major, minor, patch + 1, Optional.empty());
            case MINOR -> new ImageTag(major, minor + 1, 0, Optional.empty());
            case MAJOR -> new ImageTag(major + 1, 0, 0, Optional.empty());
        };
    }

    public ImageTag withDescriptor(String value) {
        if (!DESCRIPTOR.matcher(value).matches()) {
            throw new IllegalArgumentException(descriptorProblem(value));
        }
        return new ImageTag(major, minor, patch, Optional.of(value));
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch + descriptor.map(d -> "-" + d).orElse("");
    }

    private static String descriptorProblem(String value) {
        return "descriptor \"" + value + "\" cannot be part of a tag: use letters, digits, '.' and '-', starting with a"
                + " letter or digit, e.g. core-refactor";
    }
}
