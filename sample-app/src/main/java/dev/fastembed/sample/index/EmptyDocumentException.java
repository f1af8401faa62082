package dev.fastembed.sample.index;

/** A document with nothing to index: no chunk long enough to embed. */
public class EmptyDocumentException extends IllegalArgumentException {

    public EmptyDocumentException(String source) {
        super("Document '" + source + "' has no text to index");
    }
}
