package io.omnihub.crm;

/**
 * An identifier that joined two profiles in a merge: the event carried it, and one of the two
 * profiles owned it.
 *
 * @param namespace {@code null} for global types
 * @param value     masked in API answers unless revealed
 * @param evidence  the grade the event gave it ({@code verified}, {@code stated}, {@code noted},
 *                  {@code delivery}); {@code null} when the event did not say
 * @param side      {@code survivor} or {@code merged}: which profile owned it before the merge
 */
public record JoinedIdentifier(String type, String namespace, String value, String evidence, String side) {
}
