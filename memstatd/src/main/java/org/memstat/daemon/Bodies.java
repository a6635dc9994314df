package org.memstat.daemon;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Response bodies of {@code /metrics} in pooled direct buffers. A body is half a megabyte for 1,000 zones and is
 * sent to every request that shared its rendering: from a heap array the JDK would copy it into a temporary direct
 * buffer on every write attempt of every response, and a new array per rendering is most of the daemon's
 * allocation. So a rendering is written into a reused heap {@link ByteSink}, copied once into a direct buffer, and
 * that buffer goes back to the pool when the last response sending it has completed.
 */
final class Bodies {
    /** Enough for the variants one scraper asks for and a few slow clients; more are allocated and dropped. */
    private static final int POOLED = 4;
    private final ArrayBlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(POOLED);
    private final ArrayBlockingQueue<ByteSink> sinks = new ArrayBlockingQueue<>(POOLED);

    /** A sink to render into; give it back with {@link #publish} or {@link #discard}. */
    ByteSink sink() {
        ByteSink s = sinks.poll();
        return s != null ? s : new ByteSink(1 << 16);
    }

    /** Returns a sink whose bytes are not wanted. */
    void discard(ByteSink sink) {
        sink.reset();
        sinks.offer(sink);
    }

    /**
     * Copies {@code sink} into a body that {@code users} responses will send, and returns the sink.
     *
     * @param users how many responses will {@link Body#send} it (each releases it once)
     */
    Body publish(ByteSink sink, int users) {
        ByteBuffer b = buffers.poll();
        if (b == null || b.capacity() < sink.size()) {
            // Too small buffers are dropped, not kept: the next bodies are about as large as this one.
            b = ByteBuffer.allocateDirect(sink.size() + (sink.size() >> 3));
        }
        b.clear();
        b.put(sink.asBuffer());
        b.flip();
        discard(sink);
        return new Body(b, users);
    }

    /** A rendered body and how many responses still hold it. */
    final class Body {
        private final ByteBuffer buffer;
        private final AtomicInteger users;

        private Body(ByteBuffer buffer, int users) {
            this.buffer = buffer;
            this.users = new AtomicInteger(users);
        }

        /** The body's size in bytes. */
        int size() {
            return buffer.limit();
        }

        /** Sends the body as one of its users; the buffer is released when the response completes or fails. */
        void send(Response response, Callback callback, String contentType) {
            Callback release = new Callback() {
                @Override
                public void succeeded() {
                    release();
                    callback.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    release();
                    callback.failed(x);
                }

                @Override
                public InvocationType getInvocationType() {
                    return callback.getInvocationType();
                }
            };
            Http.send(response, release, 200, contentType, view());
        }

        /** A read-only view of the bytes: each response gets its own, as the position is per response. */
        ByteBuffer view() {
            return buffer.asReadOnlyBuffer();
        }

        /** Gives up one user's hold without sending (the request failed before its response started). */
        void release() {
            if (users.decrementAndGet() == 0) {
                buffers.offer(buffer);
            }
        }
    }
}
