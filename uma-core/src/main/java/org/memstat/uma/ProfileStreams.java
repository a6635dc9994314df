package org.memstat.uma;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes memstat's two profile streams, {@code vm.zone_samples} and {@code vm.zone_peaks}, in the producer's native
 * byte order. The layouts are drawn in docs/PROFILES.md ("Stream formats"); every offset here is derived from the
 * previous field's.
 *
 * <pre>
 * vm.zone_samples: header | strings (u16 len, bytes)... | frames (16 B)... | zones: header (24 B), sites...
 *   site: header (56 B) | u32 frame[depth]
 * vm.zone_peaks:   header (24 B) | zones (48 B: char name[32], u64 keg_pages_peak, u64 used_peak)...
 * </pre>
 */
final class ProfileStreams {
    static final int VERSION = 1;

    // vm.zone_samples header
    static final int SH_VERSION = 0;
    static final int SH_NSTRINGS = SH_VERSION + 4;
    static final int SH_NFRAMES = SH_NSTRINGS + 4;
    static final int SH_NZONES = SH_NFRAMES + 4;
    static final int SH_TAKEN = SH_NZONES + 4;
    static final int SH_BYTES = SH_TAKEN + 8;
    // frame record
    static final int FR_CLASS = 0;
    static final int FR_METHOD = FR_CLASS + 4;
    static final int FR_FILE = FR_METHOD + 4;
    static final int FR_LINE = FR_FILE + 4;
    static final int FR_BYTES = FR_LINE + 4;
    // zone header
    static final int ZH_NAME = 0;
    static final int ZH_NSITES = ZH_NAME + 4;
    static final int ZH_RATE = ZH_NSITES + 4;
    static final int ZH_SIZE = ZH_RATE + 8;
    static final int ZH_BYTES = ZH_SIZE + 8;
    // site header
    static final int SI_TAG = 0;
    static final int SI_DEPTH = SI_TAG + 4;
    static final int SI_RATE = SI_DEPTH + 4;
    static final int SI_ALLOC_OBJECTS = SI_RATE + 8;
    static final int SI_ALLOC_BYTES = SI_ALLOC_OBJECTS + 8;
    static final int SI_INUSE_OBJECTS = SI_ALLOC_BYTES + 8;
    static final int SI_INUSE_BYTES = SI_INUSE_OBJECTS + 8;
    static final int SI_OLDEST = SI_INUSE_BYTES + 8;
    static final int SI_BYTES = SI_OLDEST + 8;

    // vm.zone_peaks
    static final int PH_VERSION = 0;
    static final int PH_NZONES = PH_VERSION + 4;
    static final int PH_PAGES_PEAK = PH_NZONES + 4;
    static final int PH_PAGES = PH_PAGES_PEAK + 8;
    static final int PH_BYTES = PH_PAGES + 8;
    static final int PZ_NAME = 0;
    static final int NAME_SIZE = 32;
    static final int PZ_KEG_PAGES_PEAK = PZ_NAME + NAME_SIZE;
    static final int PZ_USED_PEAK = PZ_KEG_PAGES_PEAK + 8;
    static final int PZ_BYTES = PZ_USED_PEAK + 8;

    private ProfileStreams() {
    }

    /** {@code vm.zone_samples}: every zone but the bucket zones, in stream order, with its sites. */
    static ByteBuffer samples(Uma uma) {
        Tables t = new Tables();
        List<Zone> zones = new ArrayList<>();
        List<List<ZoneSampler.SiteView>> sites = new ArrayList<>();
        uma.forEachZone(z -> {
            if ((z.flags & Uma.ZFLAG_BUCKET) == 0) {
                zones.add(z);
                List<ZoneSampler.SiteView> v = z.sampler.sites();
                sites.add(v);
                t.string(zoneName(z.name));
                for (ZoneSampler.SiteView s : v) {
                    t.string(s.key().tag());
                    s.key().frames().forEach(t::frame);
                }
            }
        });
        long bytes = SH_BYTES + t.stringBytes + (long) t.frames.size() * FR_BYTES;
        for (List<ZoneSampler.SiteView> v : sites) {
            bytes += ZH_BYTES;
            for (ZoneSampler.SiteView s : v) {
                bytes += SI_BYTES + 4L * s.key().frames().size();
            }
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        Instant now = Instant.now();
        b.putInt(VERSION).putInt(t.strings.size()).putInt(t.frames.size()).putInt(zones.size())
                .putLong(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        for (byte[] s : t.strings) {
            b.putShort((short) s.length).put(s);
        }
        for (ZoneSampler.Frame f : t.frames) {
            b.putInt(t.string(f.className())).putInt(t.string(f.method())).putInt(t.string(f.file()))
                    .putInt(f.line() < 0 ? -1 : f.line());
        }
        for (int i = 0; i < zones.size(); i++) {
            Zone z = zones.get(i);
            List<ZoneSampler.SiteView> v = sites.get(i);
            b.putInt(t.string(zoneName(z.name))).putInt(v.size()).putLong(z.sampler.rate()).putLong(z.size);
            for (ZoneSampler.SiteView s : v) {
                List<ZoneSampler.Frame> frames = s.key().frames();
                b.putInt(t.string(s.key().tag())).putInt(frames.size()).putLong(s.key().rate())
                        .putLong(s.allocs()).putLong(s.allocs() * z.size).putLong(s.inuse())
                        .putLong(s.inuse() * z.size).putLong(s.oldestNanos());
                for (ZoneSampler.Frame f : frames) {
                    b.putInt(t.frame(f));
                }
            }
        }
        return b.flip();
    }

    /** {@code vm.zone_peaks}: the allocator's page peak, then every zone's, in {@code vm.zone_stats} order. */
    static ByteBuffer peaks(Uma uma) {
        List<Zone> zones = new ArrayList<>();
        uma.forEachZone(zones::add);
        ByteBuffer b = ByteBuffer.allocate(PH_BYTES + zones.size() * PZ_BYTES).order(ByteOrder.nativeOrder());
        long page = PageSource.PAGE_SIZE;
        b.putInt(VERSION).putInt(zones.size()).putLong(uma.pages.pagesPeak() * page)
                .putLong(uma.pages.pagesInUse() * page);
        for (Zone z : zones) {
            int at = b.position();
            // Cut on a character boundary, unlike vm.zone_stats' byte cut: the field stays valid UTF-8.
            b.put(zoneName(z.name).getBytes(StandardCharsets.UTF_8)).position(at + PZ_KEG_PAGES_PEAK);
            b.putLong(z.keg.pagesPeak() * page).putLong(z.usedPeak.get());
        }
        return b.flip();
    }

    /**
     * The zone's name cut to at most 31 bytes of UTF-8 on a character boundary: what {@code vm.zone_stats} holds
     * for an ASCII name, and always valid UTF-8.
     */
    static String zoneName(String name) {
        int nul = name.indexOf('\0');
        String s = nul < 0 ? name : name.substring(0, nul);
        while (s.getBytes(StandardCharsets.UTF_8).length > NAME_SIZE - 1) {
            s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
        }
        return s;
    }

    /** The string and frame tables, each entry once, in first-use order; string 0 is "". */
    private static final class Tables {
        final List<byte[]> strings = new ArrayList<>();
        final Map<String, Integer> stringIndex = new HashMap<>();
        final List<ZoneSampler.Frame> frames = new ArrayList<>();
        final Map<ZoneSampler.Frame, Integer> frameIndex = new HashMap<>();
        long stringBytes;

        Tables() {
            string("");
        }

        int string(String s) {
            Integer i = stringIndex.get(s);
            if (i != null) {
                return i;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xffff) {
                return string(s.substring(0, 0x3fff));
            }
            strings.add(utf8);
            stringBytes += 2 + utf8.length;
            stringIndex.put(s, strings.size() - 1);
            return strings.size() - 1;
        }

        int frame(ZoneSampler.Frame f) {
            Integer i = frameIndex.get(f);
            if (i != null) {
                return i;
            }
            string(f.className());
            string(f.method());
            string(f.file());
            frames.add(f);
            frameIndex.put(f, frames.size() - 1);
            return frames.size() - 1;
        }
    }
}
