package dev.fastembed.internal;

/** Work on a live native object: runs inside {@link NativeHandle#call} with the object's pointer. */
@FunctionalInterface
public interface NativeCall<T> {

    T run(NativePointer pointer);
}
