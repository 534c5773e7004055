package io.omnihub.hub.logging;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Fails an end-to-end test class (package {@code io.omnihub.hub.e2e}, where it is registered for by
 * {@code META-INF/services}) when the hub logged personal data while it ran, in this JVM or in a
 * hub it started as a child process. Other classes opt in with {@code @ExtendWith}.
 */
public class LogLeakExtension implements BeforeAllCallback, AfterAllCallback {

    static final String SCANNED_PACKAGE = "io.omnihub.hub.e2e";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LogLeakExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (scanned(context)) {
            context.getStore(NAMESPACE).put("mark", LogLeaks.mark());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Long mark = context.getStore(NAMESPACE).get("mark", Long.class);
        if (mark != null) {
            LogLeaks.assertNoneSince(mark, context.getDisplayName());
        }
    }

    private static boolean scanned(ExtensionContext context) {
        return context.getTestClass()
                .map(type -> type.getPackageName().equals(SCANNED_PACKAGE)
                        || AnnotationSupport.findRepeatableAnnotations(type, ExtendWith.class).stream()
                                .anyMatch(with -> java.util.Arrays.asList(with.value()).contains(LogLeakExtension.class)))
                .orElse(false);
    }
}
