package org.memstat.lib;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side writer of {@code vm.zone_samples} and {@code vm.zone_peaks}, written from docs/PROFILES.md with
 * literal offsets, independently of the decoder's {@code SampleStream} / {@code PeakStream}. The tables are
 * explicit, so tests can also write what a producer must not (a string 0 that is not "", bad UTF-8, an index past
 * a table); {@link Samples#of} builds them from a model as a producer would, interning strings and frames.
 */
final class ProfileEncoder {
    private ProfileEncoder() {
    }

    /** One frame table entry: string indices and a line. */
    record Frame(int className, int method, int file, int line) {
    }

    /** One site record; {@code frames} are frame table indices, innermost first. */
    static final class Site {
        int tag;
        long rate = 1;
        long allocObjects;
        long allocBytes;
        long inuseObjects;
        long inuseBytes;
        long oldest;
        int[] frames = new int[0];
    }

    /** One zone record: its header fields and its sites. */
    static final class Zone {
        int name;
        long rate;
        long size;
        final List<Site> sites = new ArrayList<>();
    }

    /** A whole {@code vm.zone_samples} value: tables and zones, written by {@link #encode}. */
    static final class Samples {
        long taken;
        final List<byte[]> strings = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();
        final List<Zone> zones = new ArrayList<>();
        /** Where the last {@link #encode} put each zone header and each site record (zone by zone). */
        final List<Integer> zoneOffsets = new ArrayList<>();
        final List<Integer> siteOffsets = new ArrayList<>();
        private final Map<String, Integer> stringIndex = new HashMap<>();
        private final Map<SampleFrame, Integer> frameIndex = new HashMap<>();

        /** Empty tables but for string 0, "". */
        Samples() {
            string("");
        }

        /** The index of {@code s} in the string table, added at the end if new. */
        int string(String s) {
            return stringIndex.computeIfAbsent(s, k -> {
                strings.add(k.getBytes(StandardCharsets.UTF_8));
                return strings.size() - 1;
            });
        }

        /** The index of {@code f} in the frame table, added (with its strings) at the end if new. */
        int frame(SampleFrame f) {
            Integer i = frameIndex.get(f);
            if (i == null) {
                frames.add(new Frame(string(f.className()), string(f.method()), string(f.file()), f.line()));
                i = frames.size() - 1;
                frameIndex.put(f, i);
            }
            return i;
        }

        /** The tables and zones a producer would write for {@code p}. */
        static Samples of(SampleProfile p) {
            Samples s = new Samples();
            s.taken = p.takenNanos();
            for (ZoneSamples zs : p.zones()) {
                Zone z = new Zone();
                z.name = s.string(zs.zone());
                z.rate = zs.rate();
                z.size = zs.itemSize();
                for (SampleSite ss : zs.sites()) {
                    Site t = new Site();
                    t.tag = s.string(ss.tag());
                    t.rate = ss.rate();
                    t.allocObjects = ss.allocObjects();
                    t.allocBytes = ss.allocBytes();
                    t.inuseObjects = ss.inuseObjects();
                    t.inuseBytes = ss.inuseBytes();
                    t.oldest = ss.oldestNanos();
                    t.frames = ss.frames().stream().mapToInt(s::frame).toArray();
                    z.sites.add(t);
                }
                s.zones.add(z);
            }
            return s;
        }

        /**
         * The value: a 24-byte header (0 version 1, 4 nstrings, 8 nframes, 12 nzones, 16 taken), the strings
         * (u16 length, bytes), the 16-byte frames, then per zone a 24-byte header (0 name, 4 nsites, 8 rate,
         * 16 size) and its 56-byte site records (0 tag, 4 depth, 8 rate, 16 alloc_objects, 24 alloc_bytes,
         * 32 inuse_objects, 40 inuse_bytes, 48 oldest) each followed by depth u32 frame indices.
         */
        byte[] encode(ByteOrder order) {
            int length = 24 + frames.size() * 16;
            for (byte[] s : strings) {
                length += 2 + s.length;
            }
            for (Zone z : zones) {
                length += 24;
                for (Site t : z.sites) {
                    length += 56 + 4 * t.frames.length;
                }
            }
            ByteBuffer b = ByteBuffer.allocate(length).order(order);
            b.putInt(1).putInt(strings.size()).putInt(frames.size()).putInt(zones.size()).putLong(taken);
            for (byte[] s : strings) {
                check(s.length <= 0xFFFF, "a string fits its u16 length");
                b.putShort((short) s.length).put(s);
            }
            for (Frame f : frames) {
                b.putInt(f.className()).putInt(f.method()).putInt(f.file()).putInt(f.line());
            }
            zoneOffsets.clear();
            siteOffsets.clear();
            for (Zone z : zones) {
                zoneOffsets.add(b.position());
                b.putInt(z.name).putInt(z.sites.size()).putLong(z.rate).putLong(z.size);
                for (Site t : z.sites) {
                    siteOffsets.add(b.position());
                    b.putInt(t.tag).putInt(t.frames.length).putLong(t.rate);
                    b.putLong(t.allocObjects).putLong(t.allocBytes).putLong(t.inuseObjects).putLong(t.inuseBytes);
                    b.putLong(t.oldest);
                    for (int f : t.frames) {
                        b.putInt(f);
                    }
                }
            }
            check(!b.hasRemaining(), "the computed length is the written length");
            return b.array();
        }
    }

    /** {@code vm.zone_samples} for {@code p}, as a producer of byte order {@code order} writes it. */
    static byte[] samples(ByteOrder order, SampleProfile p) {
        return Samples.of(p).encode(order);
    }

    /** One zone record of {@code vm.zone_peaks}, with its raw name field (up to 32 bytes, zero padded). */
    record Peak(byte[] name, long kegPagesPeak, long usedPeak) {
        Peak(String name, long kegPagesPeak, long usedPeak) {
            this(name.getBytes(StandardCharsets.UTF_8), kegPagesPeak, usedPeak);
        }
    }

    /**
     * {@code vm.zone_peaks}: a 24-byte header (0 version 1, 4 nzones, 8 pages_peak, 16 pages), then per zone
     * 48 bytes (0 name[32], 32 keg_pages_peak, 40 used_peak).
     */
    static byte[] peaks(ByteOrder order, long pagesPeak, long pages, List<Peak> zones) {
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * zones.size()).order(order);
        b.putInt(1).putInt(zones.size()).putLong(pagesPeak).putLong(pages);
        for (Peak p : zones) {
            check(p.name().length <= 32, "a name fits its field");
            b.put(Arrays.copyOf(p.name(), 32)).putLong(p.kegPagesPeak()).putLong(p.usedPeak());
        }
        check(!b.hasRemaining(), "length is 24 + nzones x 48");
        return b.array();
    }

    /** {@code vm.zone_peaks} for {@code p}. */
    static byte[] peaks(ByteOrder order, ZonePeaks p) {
        return peaks(order, p.pagesPeakBytes(), p.pagesBytes(),
                p.zones().stream().map(z -> new Peak(z.zone(), z.kegPagesPeakBytes(), z.usedPeakItems())).toList());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
