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
 * caller can abort a download that stalls (the JDK client's request timeout only covers the headers). At most
 * {@code limit} bytes are written: a body that goes on is cut there and fails with {@link TooLong}.
 */
final class FileBodySubscriber implements HttpResponse.BodySubscriber<Long> {

    private final FileChannel channel;
    private final long startPosition;
    private final long limit;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastChunkNanos = new AtomicLong(System.nanoTime());
    private volatile Flow.Subscription subscription;

    /** The body went on beyond the bytes allowed; nothing beyond them was written. */
    static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;
        private final long limit;

        TooLong(long limit) {
            super("the body goes on beyond " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    /** Writes at most {@code limit} bytes from {@code startPosition}, dropping whatever the file held from there on. */
    FileBodySubscriber(FileChannel channel, long startPosition, long limit) {
        this.channel = channel;
        this.startPosition = startPosition;
        this.limit = limit;
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
        if (result.isDone()) {
            return; // cancelled: chunks already on their way are dropped
        }
        try {
            for (ByteBuffer buffer : buffers) {
                long room = limit - written.get();
                if (buffer.remaining() > room) {
                    ByteBuffer allowed = buffer.slice(buffer.position(), (int) Math.max(0, room));
                    while (allowed.hasRemaining()) {
                        written.addAndGet(channel.write(allowed));
                    }
                    subscription.cancel();
                    result.completeExceptionally(new TooLong(limit));
                    return;
                }
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
