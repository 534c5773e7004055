package io.omnihub.connector;

import java.util.Objects;

/**
 * The outcome of {@link ConnectorInstance#check()}.
 *
 * @param ok      whether the instance can talk to its channel
 * @param message what an operator should read: on failure it says what to fix, e.g.
 *                "WeChat rejected the credentials: 40013 invalid appid"; never contains a secret
 */
public record CheckResult(boolean ok, String message) {

    public CheckResult {
        Objects.requireNonNull(message, "message");
    }

    public static CheckResult ok(String message) {
        return new CheckResult(true, message);
    }

    public static CheckResult failed(String message) {
        return new CheckResult(false, message);
    }
}
