package org.memstat.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-side encoder of memstat's {@code vm.zone_samples} and {@code vm.zone_peaks}, written from the tables in
 * docs/PROFILES.md, independent of uma-core's writer and memstat-lib's decoder.
 *
 * <pre>
 * vm.zone_samples: header 24 = version u32 | nstrings u32 | nframes u32 | nzones u32 | taken u64
 *                  strings   = u16 len | bytes;  frames 16 = class u32 | method u32 | file u32 | line i32
 *                  zone 24   = name u32 | nsites u32 | rate u64 | size u64
 *                  site 56   = tag u32 | depth u32 | rate alloc_objects alloc_bytes inuse_objects inuse_bytes
 *                              oldest (u64) | depth x u32 frame
 * vm.zone_peaks:   header 24 = version u32 | nzones u32 | pages_peak u64 | pages u64
 *                  zone 48   = name[32] | keg_pages_peak u64 | used_peak u64
 * </pre>
 */
final class ProfileStreams {
    private ProfileStreams() {
    }

    /** One frame: class, method, file, line. */
    record Frame(String cls, String method, String file, int line) {
    }

    /** One site. */
    record Site(String tag, long rate, long allocObjects, long allocBytes, long inuseObjects, long inuseBytes,
            long oldest, List<Frame> frames) {
    }

    /** One zone record of {@code vm.zone_samples}. */
    static final class Zone {
        final String name;
        final long rate;
        final long size;
        final List<Site> sites = new ArrayList<>();

        Zone(String name, long rate, long size) {
            this.name = name;
            this.rate = rate;
            this.size = size;
        }

        /** A site sampled at the zone's rate with no malloc type. */
        Zone site(long inuseObjects, long inuseBytes, Frame... frames) {
            return site("", rate, inuseObjects, inuseBytes, inuseObjects, inuseBytes, frames);
        }

        Zone site(String tag, long siteRate, long allocObjects, long allocBytes, long inuseObjects, long inuseBytes,
                Frame... frames) {
            sites.add(new Site(tag, siteRate, allocObjects, allocBytes, inuseObjects, inuseBytes,
                    inuseObjects > 0 ? 1_000 : 0, List.of(frames)));
            return this;
        }
    }

    /** A {@code vm.zone_samples} value under construction. */
    static final class Samples {
        final long taken;
        final List<Zone> zones = new ArrayList<>();

        Samples(long taken) {
            this.taken = taken;
        }

        Zone zone(String name, long rate, long size) {
            Zone z = new Zone(name, rate, size);
            zones.add(z);
            return z;
        }

        byte[] bytes(ByteOrder order) {
            Map<String, Integer> strings = new LinkedHashMap<>();
            strings.put("", 0);
            Map<Frame, Integer> frames = new LinkedHashMap<>();
            for (Zone z : zones) {
                intern(strings, z.name);
                for (Site s : z.sites) {
                    intern(strings, s.tag());
                    for (Frame f : s.frames()) {
                        intern(strings, f.cls());
                        intern(strings, f.method());
                        intern(strings, f.file());
                        frames.putIfAbsent(f, frames.size());
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(buf(24, order).putInt(1).putInt(strings.size()).putInt(frames.size())
                    .putInt(zones.size()).putLong(taken).array());
            for (String s : strings.keySet()) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(buf(2, order).putShort((short) b.length).array());
                out.writeBytes(b);
            }
            for (Frame f : frames.keySet()) {
                out.writeBytes(buf(16, order).putInt(strings.get(f.cls())).putInt(strings.get(f.method()))
                        .putInt(strings.get(f.file())).putInt(f.line()).array());
            }
            for (Zone z : zones) {
                out.writeBytes(buf(24, order).putInt(strings.get(z.name)).putInt(z.sites.size()).putLong(z.rate)
                        .putLong(z.size).array());
                for (Site s : z.sites) {
                    ByteBuffer b = buf(56 + 4 * s.frames().size(), order).putInt(strings.get(s.tag()))
                            .putInt(s.frames().size()).putLong(s.rate()).putLong(s.allocObjects())
                            .putLong(s.allocBytes()).putLong(s.inuseObjects()).putLong(s.inuseBytes())
                            .putLong(s.oldest());
                    for (Frame f : s.frames()) {
                        b.putInt(frames.get(f));
                    }
                    out.writeBytes(b.array());
                }
            }
            return out.toByteArray();
        }

        private static void intern(Map<String, Integer> strings, String s) {
            strings.putIfAbsent(s, strings.size());
        }
    }

    /** A {@code vm.zone_peaks} value: records of name, keg pages peak, used peak. */
    static final class Peaks {
        final long pagesPeak;
        final long pages;
        final List<Object[]> zones = new ArrayList<>();

        Peaks(long pagesPeak, long pages) {
            this.pagesPeak = pagesPeak;
            this.pages = pages;
        }

        Peaks zone(String name, long kegPagesPeak, long usedPeak) {
            zones.add(new Object[] {name, kegPagesPeak, usedPeak});
            return this;
        }

        byte[] bytes(ByteOrder order) {
            ByteBuffer b = buf(24 + 48 * zones.size(), order).putInt(1).putInt(zones.size()).putLong(pagesPeak)
                    .putLong(pages);
            for (Object[] z : zones) {
                byte[] name = ((String) z[0]).getBytes(StandardCharsets.UTF_8);
                byte[] padded = new byte[32];
                System.arraycopy(name, 0, padded, 0, name.length);
                b.put(padded).putLong((Long) z[1]).putLong((Long) z[2]);
            }
            return b.array();
        }
    }

    private static ByteBuffer buf(int size, ByteOrder order) {
        return ByteBuffer.allocate(size).order(order);
    }
}
