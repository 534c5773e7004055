package io.omnihub.routes.broker;

/**
 * The broker did not take a message: it is unreachable, it did not confirm in time, or the hub has
 * more sends waiting than it lets pile up. Nothing is known to be durable; the sender should answer
 * "try again later" (a webhook gets 503), never hold its caller waiting.
 */
public final class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message) {
        super(message);
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
