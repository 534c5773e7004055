package io.omnihub.hub.privacy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an API operation whose answer is personal data unmasked (a reveal, an export): the only
 * answers {@link MaskedResponses} leaves as they are. Such an operation checks its permission and
 * audits the call before it answers.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Unmasked {
}
