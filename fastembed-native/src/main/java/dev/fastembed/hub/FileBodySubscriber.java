package dev.fastembed.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a response body straight to a file as chunks arrive and records when the last chunk came, so the
 * caller can abort a download that stalls (the JDK client's request timeout only covers the headers).
 */
final class FileBodySubscriber implements HttpResponse.BodySubscriber<Long> {

    private final FileChannel channel;
    private final long startPosition;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastChunkNanos = new AtomicLong(System.nanoTime());
    private volatile Flow.Subscription subscription;

    /** Writes from {@code startPosition}, dropping whatever the file held from there on. */
    FileBodySubscriber(FileChannel channel, long startPosition) {
        this.channel = channel;
        this.startPosition = startPosition;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        try {
            channel.truncate(startPosition);
            channel.position(startPosition);
        } catch (IOException e) {
            subscription.cancel();
            result.completeExceptionally(new UncheckedIOException("Could not prepare the download file", e));
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        try {
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining()) {
                    written.addAndGet(channel.write(buffer));
                }
            }
            lastChunkNanos.set(System.nanoTime());
            subscription.request(1);
        } catch (IOException e) {
            subscription.cancel();
            result.completeExceptionally(new UncheckedIOException("Could not write the download to disk", e));
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(written.get());
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    /** Bytes written by this response so far. */
    long written() {
        return written.get();
    }

    /** Nanoseconds since the last chunk arrived (or since the body started). */
    long idleNanos() {
        return System.nanoTime() - lastChunkNanos.get();
    }

    /** Stops the transfer. */
    void cancel() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        result.completeExceptionally(new IOException("download cancelled"));
    }
}
