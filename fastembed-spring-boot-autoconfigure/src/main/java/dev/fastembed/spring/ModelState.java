package dev.fastembed.spring;

/** Where a pooled model is in its life. */
public enum ModelState {
    /** Lazy model that nobody has used yet. */
    NOT_LOADED,
    /** Loading (downloading, reading the ONNX file) right now. */
    LOADING,
    /** Loaded and serving calls. */
    READY,
    /** Loading failed; every call throws {@link ModelUnavailableException} with the cause. */
    FAILED,
    /** Closed with its application context. */
    CLOSED
}
