package org.memstat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.memstat.uma.Reclaim;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;

/**
 * One allocator under test in the memory benchmarks ({@link MemoryBurstBenchmark}, {@link MemoryChurnBenchmark},
 * {@link MemoryThreadsZonesBenchmark}), behind the few calls they need: items of one size ({@link #items}), slots
 * to hold them ({@link Items#slots}), and the allocator's own give-back call, if it has one ({@link #giveBack}).
 *
 * <ul>
 *   <li>{@code uma}: uma-core, one zone per item class, the trim thread on (the interval given);
 *       {@link #giveBack} is {@code reclaim(Reclaim.DRAIN)}.</li>
 *   <li>{@code nettyPooled}, {@code nettyPooledCacheAll}, {@code nettyAdaptive}: {@link Peers#POOLED},
 *       {@link Peers#POOLED_CACHE_ALL}, {@link Peers#ADAPTIVE}, direct buffers; {@link #giveBack} does nothing
 *       (Netty has no call that returns pooled memory; releasing the buffers is all there is).</li>
 *   <li>{@code glibc}: {@code malloc}/{@code free} through FFM ({@link Libc}); {@link #giveBack} is
 *       {@code malloc_trim(0)}.</li>
 *   <li>{@code none}: allocates nothing (the threads benchmark's control for what threads alone cost).</li>
 * </ul>
 *
 * <p>Every allocation is written in full ({@code size} bytes), so its pages are resident whatever the allocator.
 * Slots are not thread-safe: each thread uses its own.
 */
abstract class MemoryPeer implements AutoCloseable {
    /** The names {@link #open} accepts. */
    static final String UMA = "uma";
    static final String NETTY_POOLED = "nettyPooled";
    static final String NETTY_POOLED_CACHE_ALL = "nettyPooledCacheAll";
    static final String NETTY_ADAPTIVE = "nettyAdaptive";
    static final String GLIBC = "glibc";
    static final String NONE = "none";

    /** What a fill writes. */
    private static final byte FILL = (byte) 0x5a;

    final String name;

    private MemoryPeer(String name) {
        this.name = name;
    }

    /**
     * Opens an allocator.
     *
     * @param name         one of the names above
     * @param kmemSize     uma-core's page source size in bytes (ignored by the others)
     * @param trimInterval uma-core's trim interval (ignored by the others)
     */
    static MemoryPeer open(String name, long kmemSize, Duration trimInterval) {
        return switch (name) {
            case UMA -> new UmaPeer(Uma.builder().kmemSize(kmemSize).trimInterval(trimInterval).build());
            case NETTY_POOLED -> new NettyPeer(name, Peers.POOLED);
            case NETTY_POOLED_CACHE_ALL -> new NettyPeer(name, Peers.POOLED_CACHE_ALL);
            case NETTY_ADAPTIVE -> new NettyPeer(name, Peers.ADAPTIVE);
            case GLIBC -> new GlibcPeer();
            case NONE -> new NonePeer();
            default -> throw new IllegalArgumentException("unknown allocator: " + name);
        };
    }

    /** Items of one size: a zone of their own in uma-core, just the size elsewhere. */
    abstract Items items(String zoneName, int size);

    /** The allocator's own call to give memory back (see the class comment); false if it has none. */
    boolean giveBack() {
        return false;
    }

    /** glibc's {@code malloc_trim(0)}: returns free memory of every malloc arena to the kernel. */
    static void mallocTrim() {
        try {
            int released = (int) Libc.MALLOC_TRIM.invokeExact(0L);
            assert released == 0 || released == 1;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** uma-core's allocator, or null for the others. */
    Uma uma() {
        return null;
    }

    /**
     * Bytes the allocator itself says it holds from the system, or -1 if it cannot say: uma-core's
     * {@code pagesInUse() x pageSize()}, Netty's {@code metric().usedDirectMemory()} (its chunks).
     */
    long heldBytes() {
        return -1;
    }

    @Override
    public void close() {
    }

    /** A class of items of one size. */
    abstract static class Items {
        final int size;

        Items(int size) {
            this.size = size;
        }

        /** {@code n} empty slots for items of this class. */
        abstract Slots slots(int n);
    }

    /** Slots that each hold at most one live item. */
    abstract static class Slots {
        private final int n;

        Slots(int n) {
            this.n = n;
        }

        /** Allocates an item into the empty slot {@code i} and writes all its bytes. */
        abstract void alloc(int i);

        /** Frees the item in slot {@code i} and empties it. */
        abstract void free(int i);

        /** True if slot {@code i} holds an item. */
        abstract boolean live(int i);

        /** The number of slots. */
        final int length() {
            return n;
        }

        /** Frees every live item. */
        final void freeAll() {
            for (int i = 0, n = length(); i < n; i++) {
                if (live(i)) {
                    free(i);
                }
            }
        }
    }

    private static final class UmaPeer extends MemoryPeer {
        private final Uma uma;

        UmaPeer(Uma uma) {
            super(UMA);
            this.uma = uma;
        }

        @Override
        Items items(String zoneName, int size) {
            Zone zone = uma.zcreate(zoneName, size, null, null, null, null, Uma.ALIGN_PTR, 0);
            return new Items(size) {
                @Override
                Slots slots(int n) {
                    long[] a = new long[n];
                    return new Slots(n) {
                        @Override
                        void alloc(int i) {
                            long p = zone.alloc(Uma.M_WAITOK);
                            zone.segment(p).fill(FILL);
                            a[i] = p;
                        }

                        @Override
                        void free(int i) {
                            zone.free(a[i]);
                            a[i] = 0;
                        }

                        @Override
                        boolean live(int i) {
                            return a[i] != 0;
                        }
                    };
                }
            };
        }

        @Override
        boolean giveBack() {
            uma.reclaim(Reclaim.DRAIN);
            return true;
        }

        @Override
        Uma uma() {
            return uma;
        }

        @Override
        long heldBytes() {
            return uma.pagesInUse() * uma.pageSize();
        }

        @Override
        public void close() {
            uma.close();
        }
    }

    private static final class NettyPeer extends MemoryPeer {
        private final ByteBufAllocator allocator;

        NettyPeer(String name, ByteBufAllocator allocator) {
            super(name);
            this.allocator = allocator;
        }

        @Override
        long heldBytes() {
            return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
        }

        @Override
        Items items(String zoneName, int size) {
            return new Items(size) {
                @Override
                Slots slots(int n) {
                    ByteBuf[] a = new ByteBuf[n];
                    return new Slots(n) {
                        @Override
                        void alloc(int i) {
                            ByteBuf b = allocator.directBuffer(size, size);
                            b.writeZero(size);
                            a[i] = b;
                        }

                        @Override
                        void free(int i) {
                            a[i].release();
                            a[i] = null;
                        }

                        @Override
                        boolean live(int i) {
                            return a[i] != null;
                        }
                    };
                }
            };
        }
    }

    private static final class GlibcPeer extends MemoryPeer {
        GlibcPeer() {
            super(GLIBC);
        }

        @Override
        Items items(String zoneName, int size) {
            return new Items(size) {
                @Override
                Slots slots(int n) {
                    long[] a = new long[n];
                    return new Slots(n) {
                        @Override
                        void alloc(int i) {
                            long p;
                            try {
                                p = ((MemorySegment) Libc.MALLOC_CRITICAL.invokeExact((long) size)).address();
                            } catch (Throwable e) {
                                throw new IllegalStateException(e);
                            }
                            if (p == 0) {
                                throw new OutOfMemoryError("malloc(" + size + ") returned NULL");
                            }
                            Libc.EVERYTHING.asSlice(p, size).fill(FILL);
                            a[i] = p;
                        }

                        @Override
                        void free(int i) {
                            try {
                                Libc.FREE_CRITICAL.invokeExact(MemorySegment.ofAddress(a[i]));
                            } catch (Throwable e) {
                                throw new IllegalStateException(e);
                            }
                            a[i] = 0;
                        }

                        @Override
                        boolean live(int i) {
                            return a[i] != 0;
                        }
                    };
                }
            };
        }

        @Override
        boolean giveBack() {
            mallocTrim();
            return true;
        }
    }

    private static final class NonePeer extends MemoryPeer {
        NonePeer() {
            super(NONE);
        }

        @Override
        Items items(String zoneName, int size) {
            return new Items(size) {
                @Override
                Slots slots(int n) {
                    boolean[] a = new boolean[n];
                    return new Slots(n) {
                        @Override
                        void alloc(int i) {
                            a[i] = true;
                        }

                        @Override
                        void free(int i) {
                            a[i] = false;
                        }

                        @Override
                        boolean live(int i) {
                            return a[i];
                        }
                    };
                }
            };
        }
    }
}
