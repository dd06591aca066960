package fleet.console.diagnosis;

import java.util.List;

/**
 * What the registry said about an image: there, the tag missing (with the tags it has), the repository
 * unknown, or that it could not be asked (unreachable, credentials needed).
 *
 * @param url the registry API address asked, to show and to copy into curl
 */
public record TagCheck(ImageRef image, Status status, List<String> tags, String url, String detail) {

    public enum Status { FOUND, TAG_MISSING, REPOSITORY_MISSING, UNAUTHORIZED, UNREACHABLE, NOT_CHECKED }

    public TagCheck {
        tags = List.copyOf(tags);
    }

    /** Whether the registry answered for sure (found, or missing). */
    public boolean known() {
        return status == Status.FOUND || status == Status.TAG_MISSING || status == Status.REPOSITORY_MISSING;
    }

    public static TagCheck notChecked(ImageRef image, String why) {
        return new TagCheck(image, Status.NOT_CHECKED, List.of(), "", why);
    }
}
