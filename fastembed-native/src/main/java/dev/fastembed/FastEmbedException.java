package dev.fastembed;

/**
 * A failure of the embedding engine, the model files or the model download, with the engine's own message.
 * The {@link Kind} tells which part failed so callers can react without parsing messages.
 */
public class FastEmbedException extends RuntimeException {

    /** Mirrors the native {@code fe_result} codes (see include/fastembed.h), plus Java-side kinds. */
    public enum Kind {
        NULL_ARGUMENT(1),
        INVALID_ARGUMENT(2),
        IO(3),
        INVALID_MODEL(4),
        TOKENIZER(5),
        ONNX_RUNTIME(6),
        RUNTIME_NOT_LOADED(7),
        IMAGE(8),
        /** The call's ONNX Runtime run was stopped because its thread was interrupted (the interrupt flag is kept). */
        CANCELLED(9),
        /** An ONNX Runtime run took longer than the model's run timeout and was stopped. */
        TIMED_OUT(10),
        /** Memory for a buffer sized by the input or the model could not be had; the process lives on. */
        RESOURCE(11),
        PANIC(99),
        /** A model file could not be downloaded or verified. */
        DOWNLOAD(-1),
        /** The native libraries could not be found or loaded. */
        NATIVE_LIBRARY(-2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** The native result code, or a negative number for kinds raised in Java only. */
        public int code() {
            return code;
        }

        static Kind fromCode(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return PANIC;
        }
    }

    private final Kind kind;

    public FastEmbedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public FastEmbedException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Builds the exception for a native result code. */
    public static FastEmbedException fromNative(int code, String message) {
        return new FastEmbedException(Kind.fromCode(code), message);
    }

    public Kind kind() {
        return kind;
    }
}
