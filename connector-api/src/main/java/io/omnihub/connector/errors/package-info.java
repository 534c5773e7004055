/**
 * Typed errors: each says what the hub does next, so connectors never retry or queue themselves.
 *
 * <table>
 * <caption>What the hub does</caption>
 * <tr><th>Error</th><th>Hub</th></tr>
 * <tr><td>{@link io.omnihub.connector.errors.ConfigException}</td><td>instance FAILED, no retry</td></tr>
 * <tr><td>{@link io.omnihub.connector.errors.TransientException}</td><td>retry with backoff</td></tr>
 * <tr><td>{@link io.omnihub.connector.errors.AuthException}</td><td>refresh credentials, retry once</td></tr>
 * <tr><td>{@link io.omnihub.connector.errors.RateLimitedException}</td><td>wait retryAfter, retry</td></tr>
 * <tr><td>{@link io.omnihub.connector.errors.BadInputException}</td><td>dead letter, no retry</td></tr>
 * <tr><td>{@link io.omnihub.connector.errors.BadSignatureException}</td><td>reject, count, queue nothing</td></tr>
 * </table>
 */
package io.omnihub.connector.errors;
