package org.memstat.lib;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One malloc type or UMA zone in a {@link MemoryTypeList}: libmemstat's {@code struct memory_type} and every
 * {@code memstat_get_*} accessor (reference §3.2, §3.3), with the same meaning.
 *
 * <p>All counters are C {@code uint64_t} values carried in a {@code long}: arithmetic wraps modulo 2^64 exactly
 * as in C, and values at or above 2^63 read as negative. Print them with {@link Long#toUnsignedString(long)} and
 * compare them with {@link Long#compareUnsigned(long, long)}.
 *
 * <p>A type is owned by its list and updated in place by every refresh that carries its name, so holding on to
 * one between refreshes gives rates. It is not thread-safe: refresh and read from one thread, or synchronize.
 * The caller-owned slots ({@code MEMSTAT_MAXCALLER} = {@value #MAX_CALLER} per type and per CPU) are never
 * touched by a refresh.
 *
 * <p>Which fields a refresh fills (reference §3.4, §3.5): a UMA zone gets size, rsize, countlimit, byteslimit,
 * numallocs, numfrees, memalloced, memfreed, bytes, count, free, failures, sleeps, xdomain, zonefree, kegfree and
 * per-CPU free; its other per-CPU fields stay 0, as in libmemstat. A malloc type gets memalloced, memfreed,
 * numallocs, numfrees, sizemask, bytes, count and all per-CPU fields except free; the rest stay 0.
 */
public final class MemoryType {
    /** {@code MEMSTAT_MAXCALLER}: caller-owned slots per type and per CPU. */
    public static final int MAX_CALLER = 16;

    /** Per-CPU slots, interleaved in one array so a refresh touches one cache-friendly block per type. */
    static final int PC_MEMALLOCED = 0;
    static final int PC_MEMFREED = 1;
    static final int PC_NUMALLOCS = 2;
    static final int PC_NUMFREES = 3;
    static final int PC_SIZEMASK = 4;
    static final int PC_FREE = 5;
    static final int PC_STRIDE = 6;

    private final Allocator allocator;
    private final String name;
    final byte[] nameBytes;
    final int nameHash;

    long countLimit;
    long bytesLimit;
    long sizeMask;
    long size;
    long rsize;
    long memAlloced;
    long memFreed;
    long numAllocs;
    long numFrees;
    long bytes;
    long count;
    long free;
    long failures;
    long sleeps;
    long xdomain;
    long zoneFree;
    long kegFree;

    int cpuCount;
    long[] perCpu;
    /** Replacement per-CPU storage reserved by a refresh that is not yet committed; see {@link #reserveCpus}. */
    private long[] pendingPerCpu;

    private Object[] callerPointers;
    private long[] callerUint64s;
    private Object[] perCpuCallerPointers;
    private long[] perCpuCallerUint64s;
    private Object[] pendingCallerPointers;
    private long[] pendingCallerUint64s;

    MemoryType(Allocator allocator, byte[] src, int nameOff, int nameLen, int nameHash, int cpus) {
        this.allocator = allocator;
        this.nameBytes = Arrays.copyOfRange(src, nameOff, nameOff + nameLen);
        this.name = new String(nameBytes, StandardCharsets.UTF_8);
        this.nameHash = nameHash;
        this.perCpu = new long[cpus * PC_STRIDE];
        this.cpuCount = cpus;
    }

    /**
     * Reserves per-CPU storage for {@code cpus} CPUs without changing anything visible, so that the later
     * {@link #resetStats} cannot allocate. May throw {@link OutOfMemoryError}; {@link #dropReserve} undoes it.
     */
    void reserveCpus(int cpus) {
        int capacity = pendingPerCpu != null ? pendingPerCpu.length : perCpu.length;
        if (cpus * PC_STRIDE <= capacity) {
            return;
        }
        pendingPerCpu = new long[cpus * PC_STRIDE];
        if (perCpuCallerPointers != null) {
            pendingCallerPointers = Arrays.copyOf(perCpuCallerPointers, cpus * MAX_CALLER);
            pendingCallerUint64s = Arrays.copyOf(perCpuCallerUint64s, cpus * MAX_CALLER);
        }
    }

    void dropReserve() {
        pendingPerCpu = null;
        pendingCallerPointers = null;
        pendingCallerUint64s = null;
    }

    /**
     * {@code _memstat_mt_reset_stats}: zeroes every statistic except rsize and xdomain, and the per-CPU
     * statistics of the first {@code cpus} CPUs; caller-owned slots are kept. Installs reserved storage first.
     */
    void resetStats(int cpus) {
        if (pendingPerCpu != null) {
            perCpu = pendingPerCpu;
            if (pendingCallerPointers != null) {
                perCpuCallerPointers = pendingCallerPointers;
                perCpuCallerUint64s = pendingCallerUint64s;
            }
            dropReserve();
        }
        cpuCount = cpus;
        countLimit = 0;
        bytesLimit = 0;
        sizeMask = 0;
        size = 0;
        memAlloced = 0;
        memFreed = 0;
        numAllocs = 0;
        numFrees = 0;
        bytes = 0;
        count = 0;
        free = 0;
        failures = 0;
        sleeps = 0;
        zoneFree = 0;
        kegFree = 0;
        Arrays.fill(perCpu, 0, cpus * PC_STRIDE, 0L);
    }

    /** True when this type has {@code allocator} and a name equal to the {@code len} bytes at {@code off}. */
    boolean sameKey(Allocator allocator, byte[] src, int off, int len) {
        return this.allocator == allocator
                && Arrays.equals(nameBytes, 0, nameBytes.length, src, off, off + len);
    }

    /**
     * {@code memstat_get_name}: the type's name, as the stream carried it (at most 31 bytes, decoded as UTF-8).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * {@code memstat_get_allocator}.
     *
     * @return {@link Allocator#UMA} or {@link Allocator#MALLOC}
     */
    public Allocator allocator() {
        return allocator;
    }

    /**
     * {@code memstat_get_countlimit}: the zone's item limit ({@code uth_limit}), 0 for none; 0 for malloc.
     *
     * @return the limit in items
     */
    public long countLimit() {
        return countLimit;
    }

    /**
     * {@code memstat_get_byteslimit}: limit x size computed in 32 bits, as FreeBSD does, so it wraps modulo
     * 2^32 (reference §3.4).
     *
     * @return the byte limit, always below 2^32
     */
    public long bytesLimit() {
        return bytesLimit;
    }

    /**
     * {@code memstat_get_sizemask}: for malloc, the OR of all per-CPU {@code mts_size} bitmasks (bit i set when
     * an allocation was served from malloc zone i); 0 for UMA.
     *
     * @return the bitmask
     */
    public long sizeMask() {
        return sizeMask;
    }

    /**
     * {@code memstat_malloc_zone_used}: whether bit {@code n} of the size mask is set.
     *
     * @param n a malloc zone index
     * @return true when an allocation was served from zone {@code n}; false for {@code n} outside 0..63
     */
    public boolean mallocZoneUsed(int n) {
        return n >= 0 && n < Long.SIZE && (sizeMask & (1L << n)) != 0;
    }

    /**
     * {@code memstat_get_size}: the zone's requested item size ({@code uth_size}); 0 for malloc.
     *
     * @return bytes per item
     */
    public long size() {
        return size;
    }

    /**
     * {@code memstat_get_rsize}: the zone's real item size after alignment ({@code uth_rsize}); 0 for malloc.
     *
     * @return bytes per item
     */
    public long rsize() {
        return rsize;
    }

    /**
     * {@code memstat_get_memalloced}: bytes ever allocated (UMA: numallocs x size).
     *
     * @return a uint64 byte count
     */
    public long memAlloced() {
        return memAlloced;
    }

    /**
     * {@code memstat_get_memfreed}: bytes ever freed (UMA: numfrees x size).
     *
     * @return a uint64 byte count
     */
    public long memFreed() {
        return memFreed;
    }

    /**
     * {@code memstat_get_numallocs}: allocations ever (UMA: zone total plus every CPU's, raised to numfrees if
     * it fell below it).
     *
     * @return a uint64 count
     */
    public long numAllocs() {
        return numAllocs;
    }

    /**
     * {@code memstat_get_numfrees}: frees ever (UMA: zone total plus every CPU's).
     *
     * @return a uint64 count
     */
    public long numFrees() {
        return numFrees;
    }

    /**
     * {@code memstat_get_bytes}: memalloced - memfreed.
     *
     * @return a uint64 byte count
     */
    public long bytes() {
        return bytes;
    }

    /**
     * {@code memstat_get_count}: items (or allocations) in use, numallocs - numfrees.
     *
     * @return a uint64 count
     */
    public long count() {
        return count;
    }

    /**
     * {@code memstat_get_free}: free items cached for this zone: every CPU's cache, the zone's bucket cache and,
     * for a primary zone only, its keg's free items. 0 for malloc.
     *
     * @return a uint64 count
     */
    public long free() {
        return free;
    }

    /**
     * {@code memstat_get_failures}: failed allocations ({@code uth_fails}); 0 for malloc.
     *
     * @return a uint64 count
     */
    public long failures() {
        return failures;
    }

    /**
     * {@code memstat_get_sleeps}: allocations that slept at the zone limit ({@code uth_sleeps}); 0 for malloc.
     *
     * @return a uint64 count
     */
    public long sleeps() {
        return sleeps;
    }

    /**
     * {@code memstat_get_xdomain}: cross-domain frees ({@code uth_xdomain}); 0 for malloc.
     *
     * @return a uint64 count
     */
    public long xdomain() {
        return xdomain;
    }

    /**
     * {@code memstat_get_zonefree}: items in the zone's full-bucket cache ({@code uth_zone_free}).
     *
     * @return a uint64 count
     */
    public long zoneFree() {
        return zoneFree;
    }

    /**
     * {@code memstat_get_kegfree}: free items in the keg ({@code uth_keg_free}), for a primary zone only; a
     * secondary zone reports 0 so the shared keg is counted once.
     *
     * @return a uint64 count
     */
    public long kegFree() {
        return kegFree;
    }

    /**
     * The number of per-CPU records the last refresh carried: {@code ush_maxcpus} or {@code mtsh_maxcpus}.
     * Valid CPU arguments of the per-CPU accessors are {@code 0 .. cpuCount() - 1}.
     *
     * @return at least 1
     */
    public int cpuCount() {
        return cpuCount;
    }

    /**
     * {@code memstat_get_percpu_memalloced}: malloc bytes allocated on {@code cpu}; 0 for UMA.
     *
     * @param cpu a CPU index below {@link #cpuCount()}
     * @return a uint64 byte count
     */
    public long percpuMemAlloced(int cpu) {
        return perCpu[slot(cpu, PC_MEMALLOCED)];
    }

    /**
     * {@code memstat_get_percpu_memfreed}: malloc bytes freed on {@code cpu}; 0 for UMA.
     *
     * @param cpu a CPU index below {@link #cpuCount()}
     * @return a uint64 byte count
     */
    public long percpuMemFreed(int cpu) {
        return perCpu[slot(cpu, PC_MEMFREED)];
    }

    /**
     * {@code memstat_get_percpu_numallocs}: malloc allocations on {@code cpu}; 0 for UMA (libmemstat folds
     * UMA's per-CPU counts into the totals only).
     *
     * @param cpu a CPU index below {@link #cpuCount()}
     * @return a uint64 count
     */
    public long percpuNumAllocs(int cpu) {
        return perCpu[slot(cpu, PC_NUMALLOCS)];
    }

    /**
     * {@code memstat_get_percpu_numfrees}: malloc frees on {@code cpu}; 0 for UMA.
     *
     * @param cpu a CPU index below {@link #cpuCount()}
     * @return a uint64 count
     */
    public long percpuNumFrees(int cpu) {
        return perCpu[slot(cpu, PC_NUMFREES)];
    }

    /**
     * {@code memstat_get_percpu_sizemask}: malloc zone bitmask of {@code cpu}; 0 for UMA.
     *
     * @param cpu a CPU index below {@link #cpuCount()}
     * @return the bitmask
     */
    public long percpuSizeMask(int cpu) {
        return perCpu[slot(cpu, PC_SIZEMASK)];
    }

    /**
     * {@code memstat_get_percpu_free}: items in {@code cpu}'s cache buckets ({@code ups_cache_free}); 0 for
     * malloc.
     *
     * @param cpu a CPU index below {@link #cpuCount()}
     * @return a uint64 count
     */
    public long percpuFree(int cpu) {
        return perCpu[slot(cpu, PC_FREE)];
    }

    /**
     * {@code memstat_get_caller_pointer}.
     *
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @return the object last stored in slot {@code index}, or {@code null}
     */
    public Object callerPointer(int index) {
        checkCaller(index);
        return callerPointers == null ? null : callerPointers[index];
    }

    /**
     * {@code memstat_set_caller_pointer}.
     *
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @param value anything the caller wants to keep with this type
     */
    public void setCallerPointer(int index, Object value) {
        if (callerPointers == null) {
            callerPointers = new Object[MAX_CALLER];
        }
        callerPointers[checkCaller(index)] = value;
    }

    /**
     * {@code memstat_get_caller_uint64}.
     *
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @return the value last stored in slot {@code index}, initially 0
     */
    public long callerUint64(int index) {
        checkCaller(index);
        return callerUint64s == null ? 0L : callerUint64s[index];
    }

    /**
     * {@code memstat_set_caller_uint64}.
     *
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @param value anything the caller wants to keep with this type, for example the previous numallocs
     */
    public void setCallerUint64(int index, long value) {
        if (callerUint64s == null) {
            callerUint64s = new long[MAX_CALLER];
        }
        callerUint64s[checkCaller(index)] = value;
    }

    /**
     * {@code memstat_get_percpu_caller_pointer}.
     *
     * @param cpu   a CPU index below {@link #cpuCount()}
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @return the object last stored there, or {@code null}
     */
    public Object percpuCallerPointer(int cpu, int index) {
        int i = callerSlot(cpu, index);
        return perCpuCallerPointers == null ? null : perCpuCallerPointers[i];
    }

    /**
     * {@code memstat_set_percpu_caller_pointer}.
     *
     * @param cpu   a CPU index below {@link #cpuCount()}
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @param value anything the caller wants to keep
     */
    public void setPercpuCallerPointer(int cpu, int index, Object value) {
        int i = callerSlot(cpu, index);
        allocatePerCpuCallerSlots();
        perCpuCallerPointers[i] = value;
    }

    /**
     * {@code memstat_get_percpu_caller_uint64}.
     *
     * @param cpu   a CPU index below {@link #cpuCount()}
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @return the value last stored there, initially 0
     */
    public long percpuCallerUint64(int cpu, int index) {
        int i = callerSlot(cpu, index);
        return perCpuCallerUint64s == null ? 0L : perCpuCallerUint64s[i];
    }

    /**
     * {@code memstat_set_percpu_caller_uint64}.
     *
     * @param cpu   a CPU index below {@link #cpuCount()}
     * @param index 0 .. {@value #MAX_CALLER} - 1
     * @param value anything the caller wants to keep
     */
    public void setPercpuCallerUint64(int cpu, int index, long value) {
        int i = callerSlot(cpu, index);
        allocatePerCpuCallerSlots();
        perCpuCallerUint64s[i] = value;
    }

    /** Sized to the per-CPU capacity, not {@link #cpuCount}, so values survive a refresh with fewer CPUs. */
    private void allocatePerCpuCallerSlots() {
        if (perCpuCallerPointers == null) {
            int cpus = perCpu.length / PC_STRIDE;
            perCpuCallerPointers = new Object[cpus * MAX_CALLER];
            perCpuCallerUint64s = new long[cpus * MAX_CALLER];
        }
    }

    private int slot(int cpu, int field) {
        return checkCpu(cpu) * PC_STRIDE + field;
    }

    private int callerSlot(int cpu, int index) {
        return checkCpu(cpu) * MAX_CALLER + checkCaller(index);
    }

    private int checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpuCount) {
            throw new IndexOutOfBoundsException("cpu " + cpu + " outside 0.." + (cpuCount - 1));
        }
        return cpu;
    }

    private static int checkCaller(int index) {
        if (index < 0 || index >= MAX_CALLER) {
            throw new IndexOutOfBoundsException("caller slot " + index + " outside 0.." + (MAX_CALLER - 1));
        }
        return index;
    }

    /**
     * Returns a short description for debugging.
     *
     * @return allocator and name
     */
    @Override
    public String toString() {
        return allocator + ":" + name;
    }
}
