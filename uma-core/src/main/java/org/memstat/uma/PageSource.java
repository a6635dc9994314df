package org.memstat.uma;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The bottom layer: off-heap pages handed out in runs to kegs, up to a fixed limit ({@code vm.kmem_size}).
 *
 * <p>The whole limit is reserved once as one address range ({@code mmap} with {@code MAP_NORESERVE} through
 * FFM, so the kernel backs a page only when it is first touched). Pages are handed out in runs from a
 * first-fit bitmap; released runs go back to the kernel with {@code madvise(MADV_DONTNEED)}, adjacent runs of
 * one batch with a single call ({@link #freeRuns}). One range gives every item a stable address, a single
 * bounds-checked {@link MemorySegment} over all of it, and a flat page index for {@link SlabTable} (UMA's
 * {@code vtoslab}). Where {@code mmap} is not available the range comes from a shared {@link Arena} instead
 * (zeroed, never returned early).
 *
 * <p>Memory safety at close: {@link #region} belongs to a shared arena, so once {@link #close} has closed it
 * every access through it, or through a slice of it, throws {@link IllegalStateException} instead of touching
 * unmapped memory (closing a shared arena waits until no thread is inside an access). The raw-address calls
 * ({@code madvise}) run under the read side of {@link #unmapLock} and are skipped once closed, so no call can
 * reach the range after {@code munmap}, when the kernel may already have given the addresses to someone else.
 * A failing {@code mmap}, {@code madvise} or {@code munmap} is reported on the console with its errno.
 *
 * <p>Running out is a normal condition: {@link #alloc} returns 0 for {@code M_NOWAIT}; for
 * {@code M_WAITOK} it asks the owner to reclaim ({@link #lowMemory}) and then waits for pages to be freed.
 * Guarded by its own lock, the innermost one (zone → keg → page source).
 */
final class PageSource implements AutoCloseable {
    static final int PAGE_SHIFT = 12;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private static final int MADV_DONTNEED = 4;

    final MemorySegment region;
    /**
     * The region without a liveness check, for the per-thread caches' fast path only, which is kept out of the
     * range before it is unmapped by its own protocol ({@link ZoneCache}); never handed to users.
     */
    final MemorySegment unchecked;
    final long base;
    final int npages;

    private final long[] used;
    private final Arena arena;
    private final boolean mapped;
    private final Consumer<String> console;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final ReentrantReadWriteLock unmapLock = new ReentrantReadWriteLock();
    private boolean closed;
    /** Give-back calls made ({@code madvise}, or zero fills in the fallback), for tests and diagnostics. */
    private final LongAdder discards = new LongAdder();
    private int inUse;
    /** The most pages ever in use at once since the last {@link #resetPeak}; changed under the lock. */
    private int peak;
    private int hint;
    private volatile Runnable lowMemory = () -> { };

    PageSource(long limitBytes, Consumer<String> console) {
        if (limitBytes < PAGE_SIZE || (limitBytes >>> PAGE_SHIFT) > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("kmem size out of range: " + limitBytes);
        }
        this.console = console;
        long size = limitBytes & ~(long) (PAGE_SIZE - 1);
        this.npages = (int) (size >>> PAGE_SHIFT);
        this.used = new long[(npages + 63) >>> 6];
        this.arena = Arena.ofShared();
        long addr = Native.mmap(size, console);
        if (addr != 0) {
            this.region = Native.view(addr, size, arena);
            this.mapped = true;
        } else {
            this.region = arena.allocate(size, PAGE_SIZE);
            this.mapped = false;
        }
        this.base = region.address();
        this.unchecked = Native.unchecked(base, size);
    }

    void onLowMemory(Runnable action) {
        this.lowMemory = action;
    }

    /** Allocates {@code n} contiguous pages; returns their address or 0 (only without {@code M_WAITOK}). */
    long alloc(int n, int flags) {
        long addr = tryAlloc(n);
        if (addr != 0 || (flags & (Uma.M_NOVM | Uma.M_NORECLAIM)) != 0) {
            return addr;
        }
        lowMemory.run();
        addr = tryAlloc(n);
        if (addr != 0 || !Uma.canWait(flags)) {
            return addr;
        }
        return allocWait(n);
    }

    private long allocWait(int n) {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the allocator was closed");
                }
                long addr = allocLocked(n);
                if (addr != 0) {
                    return addr;
                }
                // Items freed into caches do not signal us, so wake up now and then to reclaim again.
                freed.await(100, TimeUnit.MILLISECONDS);
                lock.unlock();
                try {
                    lowMemory.run();
                } finally {
                    lock.lock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private long tryAlloc(int n) {
        lock.lock();
        try {
            return allocLocked(n);
        } finally {
            lock.unlock();
        }
    }

    private long allocLocked(int n) {
        if (closed || n <= 0 || n > npages - inUse) {
            return 0;
        }
        int start = findRun(hint, npages, n);
        if (start < 0) {
            start = findRun(0, Math.min(hint + n, npages), n);
        }
        if (start < 0) {
            return 0;
        }
        for (int p = start; p < start + n; p++) {
            used[p >>> 6] |= 1L << p;
        }
        inUse += n;
        if (inUse > peak) {
            peak = inUse;
        }
        hint = start + n;
        return base + ((long) start << PAGE_SHIFT);
    }

    private int findRun(int from, int to, int n) {
        int run = 0;
        for (int p = from; p < to; p++) {
            long word = used[p >>> 6];
            if (word == -1L && (p & 63) == 0) {
                run = 0;
                p += 63;
                continue;
            }
            if ((word & (1L << p)) != 0) {
                run = 0;
            } else if (++run == n) {
                return p - n + 1;
            }
        }
        return -1;
    }

    /** Returns a run of pages; its memory goes back to the kernel and reads as zero when next used. */
    void free(long addr, int n) {
        freeRuns(new long[] {addr}, 1, n);
    }

    /**
     * Returns {@code count} runs of {@code n} pages each, starting at {@code addrs[0..count)} (sorted in place).
     * Adjacent runs are given back to the kernel with one {@code madvise}, and the bitmap is updated under one
     * lock, so releasing thousands of slabs costs a few system calls. The pages are marked free only after their
     * memory was given back, so no one can be handed a page that is still being discarded.
     */
    void freeRuns(long[] addrs, int count, int n) {
        Arrays.sort(addrs, 0, count);
        for (int i = 0; i < count; i++) {
            int start = pageIndex(addrs[i]);
            if (addrs[i] - base < 0 || n <= 0 || start + n > npages) {
                throw new IllegalArgumentException("page run 0x" + Long.toHexString(addrs[i]) + "+" + n
                        + " is not ours");
            }
        }
        discard(addrs, count, (long) n << PAGE_SHIFT);
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                int start = pageIndex(addrs[i]);
                for (int p = start; p < start + n; p++) {
                    if ((used[p >>> 6] & (1L << p)) == 0) {
                        throw new IllegalStateException("page " + p + " freed twice");
                    }
                    used[p >>> 6] &= ~(1L << p);
                }
                inUse -= n;
                hint = Math.min(hint, start);
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Gives sorted runs of {@code len} bytes back to the kernel, one call per stretch of adjacent runs. */
    private void discard(long[] addrs, int count, long len) {
        unmapLock.readLock().lock();
        try {
            if (closed) {
                return;
            }
            int i = 0;
            while (i < count) {
                long from = addrs[i];
                long to = from + len;
                while (++i < count && addrs[i] == to) {
                    to += len;
                }
                if (mapped) {
                    Native.madvise(from, to - from, MADV_DONTNEED, console);
                } else {
                    region.asSlice(from - base, to - from).fill((byte) 0);
                }
                discards.increment();
            }
        } finally {
            unmapLock.readLock().unlock();
        }
    }

    /** How many give-back calls were made so far: one per stretch of adjacent runs freed together. */
    long discards() {
        return discards.sum();
    }

    int pageIndex(long addr) {
        return (int) ((addr - base) >>> PAGE_SHIFT);
    }

    boolean contains(long addr) {
        return addr - base >= 0 && addr - base < region.byteSize();
    }

    int pagesInUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** The high-water mark of {@link #pagesInUse()}: exact, raised where pages are taken. */
    int pagesPeak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    /** Starts the high-water mark again from the pages in use now. */
    void resetPeak() {
        lock.lock();
        try {
            peak = inUse;
        } finally {
            lock.unlock();
        }
    }

    long sizeBytes() {
        return region.byteSize();
    }

    /**
     * Closes the region's arena (every later access through a segment of it throws), then unmaps the range.
     * Waits for {@code madvise} calls in progress; threads waiting for pages get an exception.
     */
    @Override
    public void close() {
        close(true);
    }

    /** As {@link #close()}, but the range stays mapped: for when a thread may still touch it unchecked. */
    void closeKeepingMapping() {
        close(false);
    }

    private void close(boolean unmap) {
        unmapLock.writeLock().lock();
        try {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                freed.signalAll();
            } finally {
                lock.unlock();
            }
            if (mapped) {
                arena.close();
                if (unmap) {
                    Native.munmap(base, region.byteSize(), console);
                }
            } else if (unmap) {
                arena.close();
            }
        } finally {
            unmapLock.writeLock().unlock();
        }
    }

    /**
     * The three libc calls, bound once, each capturing {@code errno}; null handles mean "use the Arena fallback".
     * Restricted FFM methods are the point of this class: the launchers pass {@code --enable-native-access}.
     */
    @SuppressWarnings("restricted")
    private static final class Native {
        private static final MethodHandle MMAP;
        private static final MethodHandle MADVISE;
        private static final MethodHandle MUNMAP;
        private static final int MAP_FLAGS;
        private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        static {
            MethodHandle mmap = null;
            MethodHandle madvise = null;
            MethodHandle munmap = null;
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            // MAP_PRIVATE | MAP_ANONYMOUS (| MAP_NORESERVE on Linux); values differ between the kernels.
            int flags = os.contains("linux") ? 0x02 | 0x20 | 0x4000 : os.contains("mac") ? 0x02 | 0x1000 : -1;
            if (flags != -1) {
                try {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup libc = linker.defaultLookup();
                    Linker.Option errno = Linker.Option.captureCallState("errno");
                    mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_LONG), errno);
                    madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), errno);
                    munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                            errno);
                } catch (RuntimeException e) {
                    mmap = null;
                }
            }
            MMAP = mmap;
            MADVISE = madvise;
            MUNMAP = munmap;
            MAP_FLAGS = flags;
        }

        /** Maps {@code size} bytes; returns the address, or 0 (reported unless mmap is unavailable here). */
        static long mmap(long size, Consumer<String> console) {
            if (MMAP == null) {
                return 0;
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment state = a.allocate(CALL_STATE);
                long p = (long) MMAP.invokeExact(state, 0L, size, 0x1 | 0x2, MAP_FLAGS, -1, 0L);
                if (p == -1L || p == 0L) {
                    console.accept("uma: mmap of " + size + " bytes failed (errno " + errno(state)
                            + "); using zeroed arena memory instead, which is never given back early");
                    return 0;
                }
                return p;
            } catch (Throwable t) {
                console.accept("uma: mmap of " + size + " bytes failed (" + t + "); using zeroed arena memory");
                return 0;
            }
        }

        /** The mapped range as a segment of {@code arena}: unusable once the arena is closed. */
        static MemorySegment view(long addr, long size, Arena arena) {
            return MemorySegment.ofAddress(addr).reinterpret(size, arena, null);
        }

        /** The same range with the global scope: never closed, so only for code that keeps out by itself. */
        static MemorySegment unchecked(long addr, long size) {
            return MemorySegment.ofAddress(addr).reinterpret(size);
        }

        static void madvise(long addr, long len, int advice, Consumer<String> console) {
            call(MADVISE, "madvise", addr, len, advice, console);
        }

        static void munmap(long addr, long len, Consumer<String> console) {
            call(MUNMAP, "munmap", addr, len, -1, console);
        }

        private static void call(MethodHandle h, String name, long addr, long len, int advice,
                Consumer<String> console) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment state = a.allocate(CALL_STATE);
                int rc = advice >= 0 ? (int) h.invokeExact(state, addr, len, advice)
                        : (int) h.invokeExact(state, addr, len);
                if (rc != 0) {
                    console.accept(String.format("uma: %s(0x%x, %d) failed (errno %d)", name, addr, len,
                            errno(state)));
                }
            } catch (Throwable t) {
                console.accept(String.format("uma: %s(0x%x, %d) failed (%s)", name, addr, len, t));
            }
        }

        private static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }
    }
}
