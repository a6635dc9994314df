package org.memstat.uma;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bottom layer: off-heap pages handed out in runs to kegs, up to a fixed limit ({@code vm.kmem_size}).
 *
 * <p>The whole limit is reserved once as one address range ({@code mmap} with {@code MAP_NORESERVE} through
 * FFM, so the kernel backs a page only when it is first touched). Pages are handed out in runs from a
 * first-fit bitmap; a released run is given back to the kernel with {@code madvise(MADV_DONTNEED)}. One
 * range gives every item a stable address, a single bounds-checked {@link MemorySegment} over all of
 * it, and a flat page index for {@link SlabTable} (UMA's {@code vtoslab}). Where {@code mmap} is not
 * available the range comes from a shared {@link Arena} instead (zeroed, never returned early).
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
    final long base;
    final int npages;

    private final long[] used;
    private final Arena fallbackArena;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int inUse;
    private int hint;
    private volatile Runnable lowMemory = () -> { };

    PageSource(long limitBytes) {
        if (limitBytes < PAGE_SIZE || (limitBytes >>> PAGE_SHIFT) > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("kmem size out of range: " + limitBytes);
        }
        long size = limitBytes & ~(long) (PAGE_SIZE - 1);
        this.npages = (int) (size >>> PAGE_SHIFT);
        this.used = new long[(npages + 63) >>> 6];
        MemorySegment mapped = Native.mmap(size);
        if (mapped != null) {
            this.region = mapped;
            this.fallbackArena = null;
        } else {
            this.fallbackArena = Arena.ofShared();
            this.region = fallbackArena.allocate(size, PAGE_SIZE);
        }
        this.base = region.address();
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
        if (n <= 0 || n > npages - inUse) {
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
        int start = pageIndex(addr);
        if (start < 0 || n <= 0 || start + n > npages) {
            throw new IllegalArgumentException("page run 0x" + Long.toHexString(addr) + "+" + n + " is not ours");
        }
        if (fallbackArena == null) {
            Native.madvise(addr, (long) n << PAGE_SHIFT, MADV_DONTNEED);
        } else {
            region.asSlice(addr - base, (long) n << PAGE_SHIFT).fill((byte) 0);
        }
        lock.lock();
        try {
            for (int p = start; p < start + n; p++) {
                if ((used[p >>> 6] & (1L << p)) == 0) {
                    throw new IllegalStateException("page " + p + " freed twice");
                }
                used[p >>> 6] &= ~(1L << p);
            }
            inUse -= n;
            if (start < hint) {
                hint = start;
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
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

    long sizeBytes() {
        return region.byteSize();
    }

    @Override
    public void close() {
        if (fallbackArena != null) {
            fallbackArena.close();
        } else {
            Native.munmap(base, region.byteSize());
        }
    }

    /**
     * The three libc calls, bound once; {@code null} handles mean "use the Arena fallback". Restricted FFM
     * methods are the point of this class: the launchers pass {@code --enable-native-access}.
     */
    @SuppressWarnings("restricted")
    private static final class Native {
        private static final MethodHandle MMAP;
        private static final MethodHandle MADVISE;
        private static final MethodHandle MUNMAP;
        private static final int MAP_FLAGS;

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
                    mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_LONG));
                    FunctionDescriptor range = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
                    madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), range);
                    munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
                } catch (RuntimeException e) {
                    mmap = null;
                }
            }
            MMAP = mmap;
            MADVISE = madvise;
            MUNMAP = munmap;
            MAP_FLAGS = flags;
        }

        static MemorySegment mmap(long size) {
            if (MMAP == null) {
                return null;
            }
            try {
                MemorySegment p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, 0x1 | 0x2, MAP_FLAGS,
                        -1, 0L);
                if (p.address() == -1L || p.address() == 0L) {
                    return null;
                }
                return p.reinterpret(size);
            } catch (Throwable t) {
                return null;
            }
        }

        static void madvise(long addr, long len, int advice) {
            try {
                int rc = (int) MADVISE.invokeExact(addr, len, advice);
                assert rc == 0 : "madvise failed";
            } catch (Throwable t) {
                throw new IllegalStateException("madvise failed", t);
            }
        }

        static void munmap(long addr, long len) {
            try {
                int rc = (int) MUNMAP.invokeExact(addr, len);
                assert rc == 0 : "munmap failed";
            } catch (Throwable t) {
                throw new IllegalStateException("munmap failed", t);
            }
        }
    }
}
