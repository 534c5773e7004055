package io.omnihub.crm;

/**
 * The database could not be used (outage, retries exhausted): nothing was applied; the caller rolls
 * back its message transaction so the batch is redelivered.
 */
public class CrmException extends RuntimeException {
    public CrmException(String message, Throwable cause) {
        super(message, cause);
    }
}
