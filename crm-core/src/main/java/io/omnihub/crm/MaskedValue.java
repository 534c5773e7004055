package io.omnihub.crm;

/** An identifier's value as answers and reasons show it: personal data stays unreadable. */
public final class MaskedValue {

    private MaskedValue() {
    }

    /** Keeps the first 3 and last 2 characters ({@code +86*********78}); short values are all stars. */
    public static String of(String value) {
        if (value == null) {
            return null;
        }
        return value.length() <= 5 ? "*".repeat(value.length())
                : value.substring(0, 3) + "*".repeat(value.length() - 5) + value.substring(value.length() - 2);
    }
}
