package org.memstat.uma;

import java.security.CodeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A zone's allocation sampler (Go's heap profiler, per zone): the rate, the sites samples were taken at, and the
 * samples still in use. docs/PROFILES.md describes what it measures.
 *
 * <p><b>Distances.</b> Go samples the first allocation after {@code X} bytes, {@code X} exponentially distributed
 * with mean {@code rate}. A zone's items all have one size {@code s}, so the number of allocations let through
 * before the next sampled one is {@code floor(X / s)} ({@link #distance}): a countdown kept by each cache
 * ({@link ZoneCache#sampleLeft}), decremented on the fast path. Because the distribution is memoryless, a
 * countdown may be restarted at any time (a new cache, a new rate) without biasing anything, and an allocation
 * made without a cache is sampled with the same probability {@code 1 - exp(-s / rate)} ({@link #bernoulli}).
 *
 * <p><b>Rate changes.</b> {@link #setRate} bumps {@link #epoch()} and makes every cache's owner take its slow path
 * once ({@link ZoneCaches#poke}), where the countdown is re-armed under the new rate ({@link ZoneCache#resync});
 * the owner remains the only writer of its countdown.
 *
 * <p>Everything else (sites, live samples, the page marks) changes under this object's monitor, on the slow path
 * only: sampling costs a stack walk per sample, and a free costs a lookup only for items on a page that holds a
 * live sample ({@link SampleMarks}).
 */
final class ZoneSampler {
    /** The countdown when sampling is off: 2^62 allocations, so it never runs out in practice. */
    static final long OFF = Long.MAX_VALUE >>> 1;
    /** The largest rate accepted: 1 TiB between samples. */
    static final long MAX_RATE = 1L << 40;
    /** Frames kept per sample, innermost first (Go's heap profile keeps 32 too). */
    static final int MAX_DEPTH = 32;
    /** Frames printed per site in a leak report. */
    private static final int REPORT_DEPTH = 8;
    /** Wall-clock time from the monotonic clock: one reading of each at class load, then nanoTime alone. */
    private static final long BOOT_NANOS = System.nanoTime();
    private static final long EPOCH_NANOS;

    static {
        Instant now = Instant.now();
        EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Whether a class is the allocator's own, decided once per class. */
    private static final ClassValue<Boolean> ALLOCATOR = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isAllocator(type);
        }
    };

    private final Zone z;
    private final SampleMarks marks;
    /** Seeds the caches' generators and draws for allocations without a cache; guarded by this. */
    private final SplittableRandom seeds;
    private volatile long rate;
    private volatile int epoch;
    private final HashMap<RawKey, Site> sites = new HashMap<>();
    private final HashMap<Long, Live> live = new HashMap<>();

    ZoneSampler(Zone zone, SampleMarks marks, long rate, long seed) {
        this.z = zone;
        this.marks = marks;
        this.rate = rate;
        this.seeds = new SplittableRandom(seed);
    }

    /** One frame of a sampled stack. */
    record Frame(String className, String method, String file, int line) {
        static Frame of(StackWalker.StackFrame f) {
            String file = f.getFileName();
            return new Frame(f.getClassName(), f.getMethodName(), file == null ? "" : file, f.getLineNumber());
        }
    }

    /** A site as it is shown: its stack with files and lines, its tag, and the rate its samples are scaled by. */
    record SiteKey(List<Frame> frames, String tag, long rate) {
    }

    /**
     * A frame as the walk gives it cheaply: class, method and bytecode index. Files and lines cost several times
     * the walk itself, so they are looked up only when a stack is seen for the first time ({@link #symbolize}).
     */
    private record RawFrame(Class<?> type, String method, int bci) {
    }

    /** What tells two sites apart: the raw stack, the tag, the rate. */
    private record RawKey(List<RawFrame> frames, String tag, long rate) {
    }

    /** A site's counts; guarded by the sampler. */
    static final class Site {
        final SiteKey key;
        long allocs;
        long inuse;

        Site(SiteKey key) {
            this.key = key;
        }
    }

    private record Live(Site site, long nanos) {
    }

    /**
     * A site as a stream or a report reads it.
     *
     * @param oldestNanos allocation time of the oldest sample still in use, ns since the epoch; 0 if none
     */
    record SiteView(SiteKey key, long allocs, long inuse, long oldestNanos) {
    }

    long rate() {
        return rate;
    }

    int epoch() {
        return epoch;
    }

    /** Sets the rate (0 off, 1 every allocation); every cache re-arms its countdown at its next operation. */
    void setRate(long bytes) {
        if (bytes < 0 || bytes > MAX_RATE) {
            throw new IllegalArgumentException("zone " + z.name + ": sampling rate out of range 0.." + MAX_RATE
                    + ": " + bytes);
        }
        rate = bytes;
        epoch++;
        z.cacheSet.poke();
    }

    /** A generator for a new cache's countdown. */
    synchronized SplittableRandom newRandom() {
        return seeds.split();
    }

    /** Allocations to let through before the next sampled one, drawn with {@code rng}. */
    long distance(SplittableRandom rng) {
        long r = rate;
        if (r == 0) {
            return OFF;
        }
        if (r == 1) {
            return 0;
        }
        // -log(U), U in (0, 1]: an exponential variate with mean 1.
        double d = -Math.log(1 - rng.nextDouble()) * r / z.size;
        return d >= OFF ? OFF : (long) d;
    }

    /** Whether an allocation made without a cache is sampled: with probability {@code 1 - exp(-size / rate)}. */
    synchronized boolean bernoulli() {
        return distance(seeds) == 0;
    }

    /** Records a sampled allocation: its stack (the allocator's frames dropped), its tag and its time. */
    void record(long item, Object arg) {
        long r = rate;
        if (r == 0) {
            return;
        }
        StackWalker.StackFrame[] stack = new StackWalker.StackFrame[MAX_DEPTH];
        int depth = WALKER.walk(s -> {
            int n = 0;
            for (Iterator<StackWalker.StackFrame> it = s.iterator(); it.hasNext() && n < MAX_DEPTH; ) {
                StackWalker.StackFrame f = it.next();
                if (n > 0 || !ALLOCATOR.get(f.getDeclaringClass())) {
                    stack[n++] = f;
                }
            }
            return n;
        });
        RawFrame[] raw = new RawFrame[depth];
        for (int i = 0; i < depth; i++) {
            StackWalker.StackFrame f = stack[i];
            raw[i] = new RawFrame(f.getDeclaringClass(), f.getMethodName(), f.getByteCodeIndex());
        }
        String tag = arg instanceof SampleTag t ? tag(t) : "";
        RawKey key = new RawKey(List.of(raw), tag, r);
        long nanos = EPOCH_NANOS + (System.nanoTime() - BOOT_NANOS);
        synchronized (this) {
            Site site = sites.get(key);
            if (site == null) {
                site = new Site(new SiteKey(symbolize(stack, depth), tag, r));
                sites.put(key, site);
            }
            site.allocs++;
            site.inuse++;
            Live old = live.put(item, new Live(site, nanos));
            if (old != null) {
                // The same address sampled again without a free we saw (a free through another zone): the older
                // sample is gone.
                old.site.inuse--;
            } else {
                marks.add(item);
            }
        }
    }

    /** Files and lines of a stack seen for the first time. */
    private static List<Frame> symbolize(StackWalker.StackFrame[] stack, int depth) {
        Frame[] out = new Frame[depth];
        for (int i = 0; i < depth; i++) {
            out[i] = Frame.of(stack[i]);
        }
        return List.of(out);
    }

    /** The free of an item on a page that holds a live sample: forgets the item if it is one. */
    synchronized void forget(long item) {
        Live l = live.remove(item);
        if (l != null) {
            l.site.inuse--;
            marks.remove(item);
        }
    }

    /** Every site, with the time of its oldest live sample. */
    synchronized List<SiteView> sites() {
        HashMap<Site, Long> oldest = new HashMap<>();
        for (Live l : live.values()) {
            oldest.merge(l.site, l.nanos, Math::min);
        }
        List<SiteView> out = new ArrayList<>(sites.size());
        for (Site s : sites.values()) {
            out.add(new SiteView(s.key, s.allocs, s.inuse, oldest.getOrDefault(s, 0L)));
        }
        return out;
    }

    /** Samples still in use. */
    synchronized int liveCount() {
        return live.size();
    }

    /**
     * Reports the sites that still hold items, most first, {@code max} at most: a line per site and one per
     * frame (a leak report, after the keg's own line).
     */
    void report(Consumer<String> console, int max) {
        List<SiteView> holding = new ArrayList<>(sites().stream().filter(v -> v.inuse() > 0).toList());
        if (holding.isEmpty()) {
            if (rate == 0) {
                console.accept("  zone " + z.name + ": sampling is off, no allocation sites known");
            }
            return;
        }
        holding.sort(Comparator.comparingLong(SiteView::inuse).reversed());
        long samples = holding.stream().mapToLong(SiteView::inuse).sum();
        console.accept("  zone " + z.name + ": " + samples + " sampled items still allocated, at "
                + holding.size() + " site(s)" + (holding.size() > max ? ", the top " + max : "") + ":");
        for (SiteView v : holding.subList(0, Math.min(max, holding.size()))) {
            String tag = v.key().tag().isEmpty() ? "" : " (" + v.key().tag() + ")";
            console.accept("    " + v.inuse() + " sampled item(s) of " + z.size + " bytes" + tag + ", rate "
                    + v.key().rate() + ":");
            List<Frame> frames = v.key().frames();
            for (Frame f : frames.subList(0, Math.min(REPORT_DEPTH, frames.size()))) {
                console.accept("      at " + f.className() + "." + f.method() + "(" + f.file() + ":" + f.line() + ")");
            }
        }
    }

    /** Drops every sample (the zone is destroyed); the page marks of live ones go too. */
    synchronized void clear() {
        for (Long item : live.keySet()) {
            marks.remove(item);
        }
        live.clear();
        sites.clear();
    }

    private static String tag(SampleTag t) {
        String s = t.sampleTag();
        return s == null ? "" : s;
    }

    /**
     * The allocator's own classes, whose frames lead every stack and are dropped: the packages
     * {@code org.memstat.uma}, {@code .mbuf} and {@code .malloc} (not the demo), loaded from uma-core's own jar or
     * directory (so that code of another origin in the same package, such as tests, counts as a caller).
     */
    static boolean isAllocator(Class<?> type) {
        String pkg = type.getPackageName();
        if (!pkg.equals("org.memstat.uma") && !pkg.equals("org.memstat.uma.mbuf")
                && !pkg.equals("org.memstat.uma.malloc")) {
            return false;
        }
        return Objects.equals(location(type), location(Uma.class));
    }

    private static Object location(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        return cs == null ? null : cs.getLocation();
    }
}
