package io.omnihub.hub.apitokens;

/**
 * A token just created: the only time its secret is seen.
 *
 * @param token  the stored token
 * @param secret the value clients send as {@code Authorization: Bearer <secret>}
 */
public record IssuedApiToken(ApiToken token, String secret) {

    @Override
    public String toString() {
        return "IssuedApiToken[" + token.id() + "]";
    }
}
