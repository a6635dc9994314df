package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The read handler of a statistics stream OID: runs the producer into a pooled writer per read, straight into the
 * caller's buffer when there is one ({@link #writeInto}), else into the writer's own buffer handed to the sink.
 *
 * <p>The producer takes the record count when the stream is finished, so the count may grow between a caller's
 * size query and its read. The direct path therefore checks room before each record and gives up with -1 (the
 * registry then falls back to the copy path, which reports ENOMEM and the size needed) rather than ever leaving a
 * half-written stream reported as a value.
 *
 * @param <W> the stream's writer type
 */
final class StreamOid<W> implements DirectOpaqueReader {
    private static final int POOL_SIZE = 4;

    private final WriterPool<W> pool;
    private final Function<W, RecordStream> stream;
    private final Consumer<W> producer;

    /**
     * Creates the handler of one stream OID.
     *
     * @param factory  makes a writer
     * @param stream   the writer's record stream
     * @param producer pushes the current records into a writer (begin, records; not finish)
     */
    StreamOid(Supplier<W> factory, Function<W, RecordStream> stream, Consumer<W> producer) {
        this.pool = new WriterPool<>(POOL_SIZE, factory);
        this.stream = stream;
        this.producer = producer;
    }

    @Override
    public void read(Consumer<ByteBuffer> sink) {
        W w = pool.take();
        try {
            producer.accept(w);
            sink.accept(stream.apply(w).finish());
        } finally {
            pool.give(w);
        }
    }

    @Override
    public int writeInto(ByteBuffer dst) {
        W w = pool.take();
        RecordStream s = stream.apply(w);
        try {
            s.target(dst);
            producer.accept(w);
            return s.complete();
        } catch (RecordStream.Overflow e) {
            return -1;
        } finally {
            // Never pool a writer that still points at a caller's buffer.
            s.target(null);
            pool.give(w);
        }
    }
}
