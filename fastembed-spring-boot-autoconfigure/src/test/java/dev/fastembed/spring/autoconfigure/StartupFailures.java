package dev.fastembed.spring.autoconfigure;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Finds why a test context failed to start. */
final class StartupFailures {

    private StartupFailures() {
    }

    /** The first exception of this type among the startup failure and its causes. */
    static <T extends Throwable> T causeOf(AssertableApplicationContext context, Class<T> type) {
        assertThat(context).hasFailed();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " among the causes of " + context.getStartupFailure(),
                context.getStartupFailure());
    }
}
