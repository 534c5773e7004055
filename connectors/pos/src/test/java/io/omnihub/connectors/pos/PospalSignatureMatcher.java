package io.omnihub.connectors.pos;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestMatcherExtension;

/**
 * Stands in for Pospal's signature check: matches only when {@code data-signature} is the upper-case
 * MD5 of the app key and the raw request body bytes, computed here, and {@code time-stamp} is epoch
 * milliseconds. Use with {@code andMatching(NAME, Parameters.one("appKey", key))}.
 */
public final class PospalSignatureMatcher extends RequestMatcherExtension {

    static final String NAME = "pospal-signature";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public MatchResult match(Request request, Parameters parameters) {
        String expected = PosFixtures.md5Upper(parameters.getString("appKey"), request.getBody());
        String timestamp = request.getHeader("time-stamp");
        return MatchResult.of(expected.equals(request.getHeader("data-signature"))
                && timestamp != null && timestamp.matches("\\d{13}"));
    }
}
