package fleet.console.diagnosis;

/**
 * One thing that proves a cause, as an expert would quote it: a log line, an event, a status field.
 *
 * @param what   the kind of evidence in a few words ({@code previous log}, {@code event Failed x3},
 *               {@code status}, {@code registry})
 * @param text   what it says, quoted
 * @param source where it was read, for the UI to link to it
 */
public record Evidence(String what, String text, EvidenceSource source) {
}
