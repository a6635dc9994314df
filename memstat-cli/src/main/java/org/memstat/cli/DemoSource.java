package org.memstat.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;
import org.memstat.uma.demo.DemoWorkload;
import org.memstat.uma.sysctl.OidInfo;
import org.memstat.uma.sysctl.Sysctl;
import org.memstat.uma.sysctl.SysctlResult;

/**
 * {@code demo}: an allocator in this process after uma-core's demo workload, read through its sysctl registry,
 * so that a newcomer sees real output without a daemon. The registry also lists and takes writes.
 *
 * <p>For {@code top} the workload keeps running on a background thread so the rates move; otherwise it runs for
 * {@link #WARM_UP} and stops, leaving some items allocated.
 */
final class DemoSource implements WritableSource {
    /** How long the one-shot workload runs before the first read. */
    static final Duration WARM_UP = Duration.ofMillis(300);
    /** Reads retry this often when a value grows between the size query and the read. */
    private static final int ATTEMPTS = 8;

    /**
     * uma-core's console (limit warnings such as "kern.ipc.nmbclusters limit reached", which the demo workload
     * triggers on purpose) goes to the {@code org.memstat.uma} System.Logger; in a command-line tool those lines
     * would break the one-line-on-stderr rule, so they are silenced. Held strongly: JUL forgets levels of loggers
     * nobody references.
     */
    private static final java.util.logging.Logger UMA_CONSOLE = java.util.logging.Logger.getLogger("org.memstat.uma");

    private final Sysctl sysctl;
    private final DemoWorkload workload;
    private final SysctlSource reads;

    private DemoSource(Sysctl sysctl, DemoWorkload workload) {
        this.sysctl = sysctl;
        this.workload = workload;
        this.reads = SysctlSource.of("demo", this::readRegistry);
    }

    /**
     * Creates the allocator and runs the workload.
     *
     * @param live keep the workload running in the background (for {@code top})
     * @return the source
     */
    static DemoSource start(boolean live) {
        UMA_CONSOLE.setLevel(java.util.logging.Level.OFF);
        Uma uma = DemoWorkload.newAllocator();
        DemoWorkload w = DemoWorkload.create(uma);
        w.runFor(WARM_UP);
        if (live) {
            w.start(1);
        }
        return new DemoSource(uma.sysctl(), w);
    }

    /** A source over an existing registry, for tests of the registry mapping. */
    static DemoSource over(Sysctl sysctl) {
        return new DemoSource(sysctl, null);
    }

    private byte[] readRegistry(String oid) throws SysctlException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            SysctlResult size = sysctl.size(oid);
            check(oid, size);
            // Slack for a stream that grows between the two calls.
            ByteBuffer buf = ByteBuffer.allocate(size.size() + size.size() / 8 + 64);
            SysctlResult r = sysctl.read(oid, buf);
            if (r.errno() == org.memstat.uma.sysctl.Errno.ENOMEM) {
                continue;
            }
            check(oid, r);
            byte[] out = new byte[r.size()];
            buf.flip().get(out);
            return out;
        }
        throw new SysctlException(oid, Errno.ENOMEM, "value kept growing while being read");
    }

    private static void check(String oid, SysctlResult r) throws SysctlException {
        if (!r.ok()) {
            throw error(oid, r.errno());
        }
    }

    private static SysctlException error(String oid, int errno) {
        Errno e = Errno.fromNumber(errno);
        return e == null ? new SysctlException(oid, Errno.EIO, "errno " + errno + " from the demo registry")
                : new SysctlException(oid, e, "in the demo registry");
    }

    @Override
    public byte[] read(String oid) throws SysctlException {
        return reads.read(oid);
    }

    @Override
    public String uri() {
        return "demo";
    }

    @Override
    public List<OidEntry> list() throws SysctlException {
        List<OidInfo> infos = new ArrayList<>();
        int errno = sysctl.list("", true, infos);
        if (errno != 0) {
            throw error("(list)", errno);
        }
        List<OidEntry> out = new ArrayList<>(infos.size());
        for (OidInfo i : infos) {
            out.add(entry(i));
        }
        return out;
    }

    @Override
    public OidEntry describe(String oid) throws SysctlException {
        Optional<OidInfo> i = sysctl.describe(oid);
        if (i.isEmpty()) {
            throw new SysctlException(oid, Errno.ENOENT, "no such OID in the demo registry");
        }
        return entry(i.get());
    }

    private static OidEntry entry(OidInfo i) {
        return new OidEntry(i.name(), OidKind.ofCtlType(i.type().ctlType()), i.format(), i.writable());
    }

    @Override
    public ByteOrder order() {
        return ByteOrder.nativeOrder();
    }

    @Override
    public void write(String oid, byte[] value) throws SysctlException {
        SysctlResult r = sysctl.write(oid, ByteBuffer.wrap(value));
        check(oid, r);
    }

    @Override
    public void close() {
        if (workload != null) {
            workload.close();
        }
    }
}
