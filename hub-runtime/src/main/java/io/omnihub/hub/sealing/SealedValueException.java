package io.omnihub.hub.sealing;

/** A sealed value that cannot be opened: an unknown key, a changed value, or another place's value. */
public final class SealedValueException extends RuntimeException {

    public SealedValueException(String message) {
        super(message);
    }
}
