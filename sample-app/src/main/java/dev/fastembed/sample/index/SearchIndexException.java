package dev.fastembed.sample.index;

/**
 * The search index folder cannot be used as it is: startup stops with what was found and what to do
 * ({@code SearchIndexFailureAnalyzer} prints both).
 */
public class SearchIndexException extends RuntimeException {

    private final String description;
    private final String action;

    /**
     * @param description what is wrong, naming the folder
     * @param action      what the user can do about it
     * @param cause       the underlying error, or null
     */
    public SearchIndexException(String description, String action, Throwable cause) {
        super(description + " " + action, cause);
        this.action = action;
        this.description = description;
    }

    public String description() {
        return description;
    }

    public String action() {
        return action;
    }
}
