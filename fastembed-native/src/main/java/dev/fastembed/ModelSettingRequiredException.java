package dev.fastembed;

/**
 * A model from files whose behaviour nothing states: no explicit setting, no catalogue entry named, and the
 * files say nothing either. Nothing is guessed; {@link #setting()} names what to set.
 */
public final class ModelSettingRequiredException extends FastEmbedException {

    private final String setting;

    public ModelSettingRequiredException(String setting, String message) {
        super(Kind.INVALID_ARGUMENT, message);
        this.setting = setting;
    }

    /** The setting to give, e.g. {@code "pooling"}. */
    public String setting() {
        return setting;
    }
}
