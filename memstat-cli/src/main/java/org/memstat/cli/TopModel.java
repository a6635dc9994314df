package org.memstat.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.ZonePeak;
import org.memstat.lib.ZonePeaks;

/**
 * The numbers behind {@code memstat top}: one {@link MemoryTypeList} refreshed in place, with each zone's previous
 * and first counters kept in libmemstat's caller-owned slots of its own {@link MemoryType} (as a libmemstat
 * consumer would), so a refresh allocates nothing per zone and a zone keeps its history across refreshes.
 *
 * <p>Counter modes follow systat(1): {@link Mode#RATE} per second over the last interval, {@link Mode#DELTA} over
 * the last interval, {@link Mode#SINCE} since the first sample, {@link Mode#ABSOLUTE} the lifetime totals.
 * Counters are unsigned; a difference is taken modulo 2^64, which is right across a wrap.
 */
final class TopModel {
    /** Counter display modes, in the order {@code m} cycles through them. */
    enum Mode {
        RATE("rate"), DELTA("delta"), SINCE("since-start"), ABSOLUTE("absolute");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        Mode next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    /** Sort keys and the key that selects each one. */
    enum Sort {
        NAME('n'), SIZE('s'), USED('u'), FREE('f'), REQ('r'), FAIL('F'), SLEEP('S'), BYTES('b');

        final char key;

        Sort(char key) {
            this.key = key;
        }

        static Sort ofKey(int c) {
            for (Sort s : values()) {
                if (s.key == c) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * One counter of one zone: its value now, at the previous sample and at the first sample.
     *
     * @param now   the current value
     * @param prev  the value at the previous sample (equal to {@code now} on a zone's first sample)
     * @param first the value when the zone was first seen
     */
    record Counter(long now, long prev, long first) {
        /** The value {@code mode} shows; in {@link Mode#RATE} the interval's delta, divided when shown. */
        long value(Mode mode) {
            return switch (mode) {
                case RATE, DELTA -> now - prev;
                case SINCE -> now - first;
                case ABSOLUTE -> now;
            };
        }
    }

    /**
     * One zone as sampled; gauges as they are, counters with their history; {@code usedPeak} is the most items in
     * use {@code vm.zone_peaks} has seen for the zone, empty when the source has no peak for it.
     */
    record Row(String name, long size, long limit, long used, long free, long bytes, Counter req, Counter fail,
            Counter sleep, OptionalLong usedPeak) {
    }

    /**
     * One sample.
     *
     * @param rows    every zone, in list order
     * @param seconds the interval since the previous sample in seconds; 0 for the first sample
     * @param peaks   whether the source has {@code vm.zone_peaks} (then the table has a PEAK-USED column)
     */
    record Frame(List<Row> rows, double seconds, boolean peaks) {
    }

    // Caller-owned slots of each MemoryType (MEMSTAT_MAXCALLER = 16 are available).
    private static final int PREV_REQ = 0;
    private static final int PREV_FAIL = 1;
    private static final int PREV_SLEEP = 2;
    private static final int FIRST_REQ = 3;
    private static final int FIRST_FAIL = 4;
    private static final int FIRST_SLEEP = 5;
    private static final int SEEN = 6;

    Mode mode = Mode.RATE;
    Sort sort = Sort.BYTES;
    boolean reversed;
    Pattern filter;
    private long prevNanos;
    private boolean sampled;

    /** Selects {@code s}; selecting the current key again reverses the order. */
    void sortBy(Sort s) {
        reversed = s == sort && !reversed;
        sort = s;
    }

    /**
     * Takes a sample of {@code list}, which the caller has just refreshed, at monotonic time {@code nanos}.
     *
     * @param list  the refreshed list
     * @param nanos the time of the refresh
     * @return the frame to show
     */
    Frame sample(MemoryTypeList list, long nanos) {
        return sample(list, null, nanos);
    }

    /**
     * Takes a sample of {@code list} and the peaks read with it.
     *
     * @param list  the refreshed list
     * @param peaks {@code vm.zone_peaks} read with it, or null (an empty one means the source has none)
     * @param nanos the time of the refresh
     * @return the frame to show
     */
    Frame sample(MemoryTypeList list, ZonePeaks peaks, long nanos) {
        boolean hasPeaks = peaks != null && Peaks.present(peaks);
        List<Optional<ZonePeak>> joined = hasPeaks ? Peaks.join(list, peaks) : null;
        int i = 0;
        double seconds = sampled ? (nanos - prevNanos) / 1e9 : 0;
        List<Row> rows = new ArrayList<>(list.size());
        for (MemoryType t : list) {
            if (t.callerUint64(SEEN) == 0) {
                // First sight of this zone (first sample, or a zone created since): its history starts now.
                t.setCallerUint64(SEEN, 1);
                t.setCallerUint64(FIRST_REQ, t.numAllocs());
                t.setCallerUint64(FIRST_FAIL, t.failures());
                t.setCallerUint64(FIRST_SLEEP, t.sleeps());
                t.setCallerUint64(PREV_REQ, t.numAllocs());
                t.setCallerUint64(PREV_FAIL, t.failures());
                t.setCallerUint64(PREV_SLEEP, t.sleeps());
            }
            rows.add(new Row(t.name(), t.size(), t.countLimit(), t.count(), t.free(), t.bytes(),
                    new Counter(t.numAllocs(), t.callerUint64(PREV_REQ), t.callerUint64(FIRST_REQ)),
                    new Counter(t.failures(), t.callerUint64(PREV_FAIL), t.callerUint64(FIRST_FAIL)),
                    new Counter(t.sleeps(), t.callerUint64(PREV_SLEEP), t.callerUint64(FIRST_SLEEP)),
                    joined == null || joined.get(i).isEmpty() ? OptionalLong.empty()
                            : OptionalLong.of(joined.get(i).get().usedPeakItems())));
            i++;
            t.setCallerUint64(PREV_REQ, t.numAllocs());
            t.setCallerUint64(PREV_FAIL, t.failures());
            t.setCallerUint64(PREV_SLEEP, t.sleeps());
        }
        prevNanos = nanos;
        sampled = true;
        return new Frame(List.copyOf(rows), seconds, hasPeaks);
    }

    /**
     * The rows to show: those matching the filter, in the chosen order. Changing the mode, sort or filter only
     * needs a new view, not a new sample, so the interval of the rates stays the real one.
     *
     * @param frame a sample
     * @return the visible rows
     */
    List<Row> view(Frame frame) {
        List<Row> rows = new ArrayList<>(frame.rows().size());
        for (Row r : frame.rows()) {
            if (filter == null || filter.matcher(r.name()).find()) {
                rows.add(r);
            }
        }
        rows.sort(comparator());
        return rows;
    }

    private Comparator<Row> comparator() {
        Comparator<Row> c = switch (sort) {
            case NAME -> Comparator.comparing(Row::name);
            case SIZE -> unsigned(Row::size);
            case USED -> unsigned(Row::used);
            case FREE -> unsigned(Row::free);
            case REQ -> unsigned(r -> r.req().value(mode));
            case FAIL -> unsigned(r -> r.fail().value(mode));
            case SLEEP -> unsigned(r -> r.sleep().value(mode));
            case BYTES -> unsigned(Row::bytes);
        };
        // Names ascend by default, numbers descend (the biggest first, as in top and slabtop).
        if (sort != Sort.NAME) {
            c = c.reversed();
        }
        if (reversed) {
            c = c.reversed();
        }
        return c.thenComparing(Row::name);
    }

    private static Comparator<Row> unsigned(java.util.function.ToLongFunction<Row> f) {
        return (a, b) -> Long.compareUnsigned(f.applyAsLong(a), f.applyAsLong(b));
    }
}
