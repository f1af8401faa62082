package dev.fastembed.sample.web;

/** The request breaks a rule of the API (empty or oversized input, unknown option): answered with 400. */
public class InvalidRequestException extends RuntimeException {

    private final String parameter;

    /**
     * @param parameter the request parameter or JSON field at fault
     * @param message   what is wrong and what is allowed
     */
    public InvalidRequestException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
