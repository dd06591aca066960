package fleet.console.ui.logs;

/**
 * The match the view points at.
 *
 * @param line       the line's number
 * @param occurrence which match in that line, from 0
 * @param start      where the match starts in the line's text
 * @param end        where it ends (exclusive)
 * @param ordinal    its place among the matches of the shown lines, from 1 ("3 of 12")
 * @param total      how many matches the shown lines hold
 */
public record SearchHit(long line, int occurrence, int start, int end, long ordinal, long total) {
}
