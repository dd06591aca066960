package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The runbook's tag scheme vMAJOR.MINOR.PATCH-descriptor and its versioning table. */
class ImageTagTest {

    @ParameterizedTest
    @CsvSource({
            "v2.2.2, patch, v2.2.3",
            "v2.2.3, minor, v2.3.0",
            "v2.3.0, major, v3.0.0",
            "v3.0.0-core-refactor, patch, v3.0.1",
            "v9.9.9, minor, v9.10.0"})
    void bumpsFollowTheRunbooksVersioningTable(String deployed, String bump, String next) {
        assertEquals(next, ImageTag.parse(deployed).orElseThrow().bump(TagBump.parse(bump)).toString());
    }

    @Test
    void theDescriptorIsKeptWhenParsedAndGivenAnewAfterABump() {
        ImageTag tag = ImageTag.parse("v3.0.0-core-refactor").orElseThrow();
        assertEquals(Optional.of("core-refactor"), tag.descriptor());
        assertEquals("v3.0.1-hotfix", tag.bump(TagBump.PATCH).withDescriptor("hotfix").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "3.0.0", "v3.0", "v03.0.0", "v3.0.0-", "2.10-alpine", "v3.0.0_x"})
    void tagsOutsideTheSchemeAreNotParsed(String tag) {
        assertTrue(ImageTag.parse(tag).isEmpty(), tag);
        assertTrue(ImageTag.problemWith(tag).orElseThrow().contains("vMAJOR.MINOR.PATCH"), tag);
    }

    @Test
    void aTagNoRegistryWouldTakeIsSaidToBeInvalid() {
        assertTrue(ImageTag.problemWith("v1.0.0/../x").orElseThrow().contains("not a valid image tag"));
        assertTrue(ImageTag.problemWith("-v1").orElseThrow().contains("not a valid image tag"));
        assertEquals(Optional.empty(), ImageTag.problemWith("v3.0.1-core-refactor"));
    }

    @Test
    void anUnknownBumpSaysWhichThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TagBump.parse("hotfix"));
        assertTrue(e.getMessage().contains("patch (a fix), minor (a compatible feature) or major (a breaking change)"));
        assertEquals(TagBump.MINOR, TagBump.parse(" Minor "));
    }

    @Test
    void aDescriptorThatCannotBeInATagIsRefused() {
        ImageTag tag = ImageTag.parse("v1.0.0").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> tag.withDescriptor("new feature"));
    }
}
