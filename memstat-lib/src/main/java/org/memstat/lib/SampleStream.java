package org.memstat.lib;

import static org.memstat.lib.StreamLayout.U32;
import static org.memstat.lib.StreamLayout.U64;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code vm.zone_samples} stream, version 1 (docs/PROFILES.md): its layout and its decoder. Every offset is
 * derived from the previous one; integers are in the producer's native byte order, which the version word
 * reveals; u64 fields must fit a Java {@code long}.
 *
 * <pre>
 * header (24 bytes)
 *   0         4          8         12        16              24
 *   +---------+----------+---------+---------+---------------+
 *   | version | nstrings | nframes | nzones  | taken (u64 ns)|
 *   +---------+----------+---------+---------+---------------+
 *
 * string table: nstrings x ( u16 len , len bytes of UTF-8 )       string 0 is ""
 *
 * frame table: nframes x (16 bytes)
 *   0         4          8         12        16
 *   +---------+----------+---------+---------+
 *   | class   | method   | file    | line    |     string indices; line is an i32, -1 when unknown
 *   +---------+----------+---------+---------+
 *
 * nzones x ( zone header , nsites x site record )
 *
 * zone header (24 bytes)
 *   0         4          8               16              24
 *   +---------+----------+---------------+---------------+
 *   | name    | nsites   | rate          | size          |
 *   +---------+----------+---------------+---------------+
 *
 * site record (56 bytes, then depth x u32 frame index, innermost first)
 *   0       4       8      16             24            32             40            48       56
 *   +-------+-------+------+--------------+-------------+--------------+-------------+--------+--------...
 *   | tag   | depth | rate | alloc_objects| alloc_bytes | inuse_objects| inuse_bytes | oldest | frame[depth]
 *   +-------+-------+------+--------------+-------------+--------------+-------------+--------+--------...
 * </pre>
 *
 * <p>The whole value is checked while it is decoded and nothing is returned from a value that fails: lengths
 * (every count is checked against the bytes left before anything is sized by it), indices, UTF-8, the zone name
 * (1 to 31 bytes), depth (at most 64), site rate (at least 1), in-use at most allocated, and no trailing bytes.
 * Memory used is bounded by a constant times the value's length.
 */
final class SampleStream {
    private SampleStream() {
    }

    static final int U16 = 2;
    /** The most frames a site may carry. */
    static final int MAX_DEPTH = 64;
    /** The longest zone name, in UTF-8 bytes, as {@code vm.zone_stats}'s 32-byte NUL-terminated field holds it. */
    static final int MAX_ZONE_NAME = StreamLayout.MAX_NAME - 1;

    static final int H_VERSION = 0;
    static final int H_NSTRINGS = H_VERSION + U32;
    static final int H_NFRAMES = H_NSTRINGS + U32;
    static final int H_NZONES = H_NFRAMES + U32;
    static final int H_TAKEN = H_NZONES + U32;
    static final int H_BYTES = H_TAKEN + U64;

    static final int S_LEN = 0;
    /** A string's fixed part; its {@code len} UTF-8 bytes follow. */
    static final int S_BYTES = S_LEN + U16;

    static final int F_CLASS = 0;
    static final int F_METHOD = F_CLASS + U32;
    static final int F_FILE = F_METHOD + U32;
    static final int F_LINE = F_FILE + U32;
    static final int F_BYTES = F_LINE + U32;

    static final int Z_NAME = 0;
    static final int Z_NSITES = Z_NAME + U32;
    static final int Z_RATE = Z_NSITES + U32;
    static final int Z_SIZE = Z_RATE + U64;
    static final int Z_BYTES = Z_SIZE + U64;

    static final int T_TAG = 0;
    static final int T_DEPTH = T_TAG + U32;
    static final int T_RATE = T_DEPTH + U32;
    static final int T_ALLOC_OBJECTS = T_RATE + U64;
    static final int T_ALLOC_BYTES = T_ALLOC_OBJECTS + U64;
    static final int T_INUSE_OBJECTS = T_ALLOC_BYTES + U64;
    static final int T_INUSE_BYTES = T_INUSE_OBJECTS + U64;
    static final int T_OLDEST = T_INUSE_BYTES + U64;
    /** A site record's fixed part; {@code depth} u32 frame indices follow. */
    static final int T_BYTES = T_OLDEST + U64;

    /**
     * Decodes and checks a whole {@code vm.zone_samples} value.
     *
     * @param source the source URI for messages, or {@code null}
     */
    static SampleProfile decode(byte[] b, String source) throws MemstatException {
        ProfileBytes in = ProfileBytes.open(b, SampleProfile.OID, H_BYTES, source);
        long nstrings = in.u32(H_NSTRINGS);
        long nframes = in.u32(H_NFRAMES);
        long nzones = in.u32(H_NZONES);
        long taken = in.u64(H_TAKEN, "taken", -1);

        if (nstrings == 0) {
            throw in.error("nstrings is 0; the string table must hold at least string 0, \"\"", H_NSTRINGS, -1);
        }
        in.checkCount(nstrings, S_BYTES, H_BYTES, "nstrings", H_NSTRINGS, -1);
        String[] strings = new String[(int) nstrings];
        int[] lengths = new int[strings.length];
        int off = H_BYTES;
        for (int i = 0; i < strings.length; i++) {
            in.need(off, S_BYTES, "string " + i, -1);
            int len = in.u16(off + S_LEN);
            in.need(off + S_BYTES, len, "string " + i + " (" + len + " bytes)", -1);
            strings[i] = in.utf8(off + S_BYTES, len, "string " + i, -1);
            lengths[i] = len;
            off += S_BYTES + len;
        }
        if (!strings[0].isEmpty()) {
            throw in.error("string 0 is \"" + strings[0] + "\"; it must be \"\"", H_BYTES, -1);
        }

        in.checkCount(nframes, F_BYTES, off, "nframes", H_NFRAMES, -1);
        SampleFrame[] frames = new SampleFrame[(int) nframes];
        for (int i = 0; i < frames.length; i++, off += F_BYTES) {
            String what = "frame " + i;
            frames[i] = new SampleFrame(string(in, strings, off + F_CLASS, what + " class", -1),
                    string(in, strings, off + F_METHOD, what + " method", -1),
                    string(in, strings, off + F_FILE, what + " file", -1), in.i32(off + F_LINE));
        }

        in.checkCount(nzones, Z_BYTES, off, "nzones", H_NZONES, -1);
        List<ZoneSamples> zones = new ArrayList<>((int) nzones);
        for (int z = 0; z < nzones; z++) {
            in.need(off, Z_BYTES, "zone header", z);
            int name = index(in, strings.length, off + Z_NAME, "zone name", z);
            if (lengths[name] == 0 || lengths[name] > MAX_ZONE_NAME) {
                throw in.error("zone name (string " + name + ") is " + lengths[name] + " bytes; it must be 1 to "
                        + MAX_ZONE_NAME, off + Z_NAME, z);
            }
            long nsites = in.u32(off + Z_NSITES);
            long rate = in.u64(off + Z_RATE, "zone rate", z);
            long size = in.u64(off + Z_SIZE, "zone size", z);
            int nsitesOff = off + Z_NSITES;
            off += Z_BYTES;
            in.checkCount(nsites, T_BYTES, off, "nsites", nsitesOff, z);
            List<SampleSite> sites = new ArrayList<>((int) nsites);
            for (int s = 0; s < nsites; s++) {
                sites.add(site(in, strings, frames, off, z, s));
                off += T_BYTES + (int) in.u32(off + T_DEPTH) * U32;
            }
            zones.add(new ZoneSamples(strings[name], rate, size, sites));
        }
        in.checkEnd(off);
        return new SampleProfile(taken, zones);
    }

    /** Site {@code s} of zone {@code z}, whose record starts at {@code off}. */
    private static SampleSite site(ProfileBytes in, String[] strings, SampleFrame[] frames, int off, int z, int s)
            throws MemstatException {
        String what = "site " + s;
        in.need(off, T_BYTES, what, z);
        String tag = string(in, strings, off + T_TAG, what + " tag", z);
        long depth = in.u32(off + T_DEPTH);
        if (depth > MAX_DEPTH) {
            throw in.error(what + " depth is " + depth + ", more than " + MAX_DEPTH, off + T_DEPTH, z);
        }
        long rate = in.u64(off + T_RATE, what + " rate", z);
        if (rate < 1) {
            throw in.error(what + " rate is 0; samples are taken at a rate of at least 1", off + T_RATE, z);
        }
        long allocObjects = in.u64(off + T_ALLOC_OBJECTS, what + " alloc_objects", z);
        long allocBytes = in.u64(off + T_ALLOC_BYTES, what + " alloc_bytes", z);
        long inuseObjects = in.u64(off + T_INUSE_OBJECTS, what + " inuse_objects", z);
        long inuseBytes = in.u64(off + T_INUSE_BYTES, what + " inuse_bytes", z);
        long oldest = in.u64(off + T_OLDEST, what + " oldest", z);
        if (inuseObjects > allocObjects) {
            throw in.error(what + " inuse_objects " + inuseObjects + " exceeds alloc_objects " + allocObjects,
                    off + T_INUSE_OBJECTS, z);
        }
        if (inuseBytes > allocBytes) {
            throw in.error(what + " inuse_bytes " + inuseBytes + " exceeds alloc_bytes " + allocBytes,
                    off + T_INUSE_BYTES, z);
        }
        int at = off + T_BYTES;
        in.need(at, depth * U32, what + " frames (depth " + depth + ")", z);
        SampleFrame[] stack = new SampleFrame[(int) depth];
        for (int i = 0; i < stack.length; i++, at += U32) {
            long f = in.u32(at);
            if (f >= frames.length) {
                throw in.error(what + " frame[" + i + "] is " + f + ", past the " + frames.length
                        + "-entry frame table", at, z);
            }
            stack[i] = frames[(int) f];
        }
        return new SampleSite(tag, List.of(stack), rate, allocObjects, allocBytes, inuseObjects, inuseBytes,
                oldest);
    }

    /** The string whose index is the u32 at {@code off}. */
    private static String string(ProfileBytes in, String[] strings, int off, String field, int record)
            throws MemstatException {
        return strings[index(in, strings.length, off, field, record)];
    }

    /** The string index at {@code off}, checked against a table of {@code n} strings. */
    private static int index(ProfileBytes in, int n, int off, String field, int record) throws MemstatException {
        long i = in.u32(off);
        if (i >= n) {
            throw in.error(field + " is string " + i + ", past the " + n + "-entry string table", off, record);
        }
        return (int) i;
    }
}
