package org.memstat.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.memstat.lib.MbufSummary;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;

/**
 * {@code netstat -m} as current FreeBSD prints it (reference §5.2, CUR-netstat {@code mbpr}): the eleven mbuf
 * lines from {@link MbufSummary}, then the sfbuf line when {@code kern.ipc.nsfbufs}, {@code nsfbufsused} and
 * {@code nsfbufspeak} can all be read, then the eleven sendfile lines when {@code kern.ipc.sfstat} exists.
 *
 * @param mbuf    the mbuf figures
 * @param sfbufs  used, peak, max; or null
 * @param sfstat  {@code struct sfstat} in memory order; or null
 */
record MbufReport(MbufSummary mbuf, int[] sfbufs, long[] sfstat) {
    /** {@code sizeof(struct sfstat)}: 11 uint64 counters. */
    static final int SFSTAT_BYTES = 11 * Long.BYTES;

    /** sfstat fields in memory order (sys/sys/sf_buf.h) and the output line of each, in output order below. */
    private static final int SYSCALLS = 0;
    private static final int NOIOCNT = 1;
    private static final int IOCNT = 2;
    private static final int PAGES_READ = 3;
    private static final int PAGES_VALID = 4;
    private static final int RHPAGES_REQUESTED = 5;
    private static final int RHPAGES_READ = 6;
    private static final int BUSY = 7;
    private static final int ALLOCFAIL = 8;
    private static final int ALLOCWAIT = 9;
    private static final int PAGES_BOGUS = 10;

    /** Output order: field index, libxo key, text after the number. */
    private static final Object[][] SENDFILE_LINES = {
        {SYSCALLS, "sendfile-syscalls", "sendfile syscalls"},
        {NOIOCNT, "sendfile-no-io", "sendfile syscalls completed without I/O request"},
        {IOCNT, "sendfile-io-count", "requests for I/O initiated by sendfile"},
        {PAGES_READ, "sendfile-pages-sent", "pages read by sendfile as part of a request"},
        {PAGES_VALID, "sendfile-pages-valid", "pages were valid at time of a sendfile request"},
        {PAGES_BOGUS, "sendfile-pages-bogus", "pages were valid and substituted to bogus page"},
        {RHPAGES_REQUESTED, "sendfile-requested-readahead", "pages were requested for read ahead by applications"},
        {RHPAGES_READ, "sendfile-readahead", "pages were read ahead by sendfile"},
        {BUSY, "sendfile-busy-encounters", "times sendfile encountered an already busy page"},
        {ALLOCFAIL, "sfbufs-alloc-failed", "requests for sfbufs denied"},
        {ALLOCWAIT, "sfbufs-alloc-wait", "requests for sfbufs delayed"},
    };

    /**
     * Reads the sfbuf and sendfile OIDs. netstat skips the sfbuf line when any of the three reads fails, and the
     * sendfile lines when {@code kern.ipc.sfstat} does not exist; so do we. Unlike netstat, which warns and goes
     * on, any other failure of {@code kern.ipc.sfstat} (or a value that is not 88 bytes) ends the command.
     */
    static MbufReport read(MbufSummary mbuf, SysctlSource source, ByteOrder order) {
        int[] sfbufs;
        try {
            int max = source.readInt("kern.ipc.nsfbufs");
            int used = source.readInt("kern.ipc.nsfbufsused");
            int peak = source.readInt("kern.ipc.nsfbufspeak");
            sfbufs = new int[] {used, peak, max};
        } catch (SysctlException e) {
            sfbufs = null;
        }
        long[] sf = null;
        try {
            byte[] v = source.read(KnownOids.SFSTAT);
            if (v.length != SFSTAT_BYTES) {
                throw new CliException(ExitCode.DATAERROR, source.uri() + ": " + KnownOids.SFSTAT
                        + ": Data format error: value is " + v.length + " bytes, struct sfstat is " + SFSTAT_BYTES);
            }
            ByteBuffer b = ByteBuffer.wrap(v).order(order);
            sf = new long[SFSTAT_BYTES / Long.BYTES];
            for (int i = 0; i < sf.length; i++) {
                sf[i] = b.getLong();
            }
        } catch (SysctlException e) {
            if (e.errno() != Errno.ENOENT) {
                throw Errors.of(source.uri(), e);
            }
        }
        return new MbufReport(mbuf, sfbufs, sf);
    }

    private long k(String key) {
        return Long.divideUnsigned(mbuf.get(key), 1024);
    }

    private String f(String key) {
        return Text.u(mbuf.get(key));
    }

    void text(StringBuilder out) {
        String page = f("jumbo-page-size");
        line(out, f("mbuf-current") + "/" + f("mbuf-cache") + "/" + f("mbuf-total")
                + " mbufs in use (current/cache/total)");
        line(out, f("cluster-current") + "/" + f("cluster-cache") + "/" + f("cluster-total") + "/" + f("cluster-max")
                + " mbuf clusters in use (current/cache/total/max)");
        line(out, f("packet-count") + "/" + f("packet-free")
                + " mbuf+clusters out of packet secondary zone in use (current/cache)");
        line(out, f("jumbo-count") + "/" + f("jumbo-cache") + "/" + f("jumbo-total") + "/" + f("jumbo-max") + " "
                + page + "k (page size) jumbo clusters in use (current/cache/total/max)");
        line(out, f("jumbo9-count") + "/" + f("jumbo9-cache") + "/" + f("jumbo9-total") + "/" + f("jumbo9-max")
                + " 9k jumbo clusters in use (current/cache/total/max)");
        line(out, f("jumbo16-count") + "/" + f("jumbo16-cache") + "/" + f("jumbo16-total") + "/"
                + f("jumbo16-limit") + " 16k jumbo clusters in use (current/cache/total/max)");
        line(out, Text.u(k("bytes-in-use")) + "K/" + Text.u(k("bytes-in-cache")) + "K/" + Text.u(k("bytes-total"))
                + "K bytes allocated to network (current/cache/total)");
        line(out, f("mbuf-failures") + "/" + f("cluster-failures") + "/" + f("packet-failures")
                + " requests for mbufs denied (mbufs/clusters/mbuf+clusters)");
        line(out, f("mbuf-sleeps") + "/" + f("cluster-sleeps") + "/" + f("packet-sleeps")
                + " requests for mbufs delayed (mbufs/clusters/mbuf+clusters)");
        line(out, f("jumbop-sleeps") + "/" + f("jumbo9-sleeps") + "/" + f("jumbo16-sleeps")
                + " requests for jumbo clusters delayed (" + page + "k/9k/16k)");
        line(out, f("jumbop-failures") + "/" + f("jumbo9-failures") + "/" + f("jumbo16-failures")
                + " requests for jumbo clusters denied (" + page + "k/9k/16k)");
        if (sfbufs != null) {
            line(out, sfbufs[0] + "/" + sfbufs[1] + "/" + sfbufs[2] + " sfbufs in use (current/peak/max)");
        }
        if (sfstat != null) {
            for (Object[] l : SENDFILE_LINES) {
                line(out, Text.u(sfstat[(Integer) l[0]]) + " " + l[2]);
            }
        }
    }

    private static void line(StringBuilder out, String s) {
        out.append(s).append('\n');
    }

    /** The {@code mbuf-statistics} container. */
    Map<String, Object> json() {
        Map<String, Object> c = Json.object();
        for (Map.Entry<String, Long> e : mbuf.figures().entrySet()) {
            boolean bytes = e.getKey().startsWith("bytes-");
            c.put(e.getKey(), Json.u(bytes ? Long.divideUnsigned(e.getValue(), 1024) : e.getValue()));
        }
        if (sfbufs != null) {
            c.put("nsfbufs-current", Json.i(sfbufs[0]));
            c.put("nsfbufs-peak", Json.i(sfbufs[1]));
            c.put("nsfbufs", Json.i(sfbufs[2]));
        }
        if (sfstat != null) {
            for (Object[] l : SENDFILE_LINES) {
                c.put((String) l[1], Json.u(sfstat[(Integer) l[0]]));
            }
        }
        return c;
    }
}
