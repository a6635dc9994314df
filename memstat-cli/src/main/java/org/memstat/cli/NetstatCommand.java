package org.memstat.cli;

import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.memstat.lib.MbufSummary;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code netstat -m}: {@code memstat_sysctl_all}, then the zone and malloc type lookups in netstat's order; a
 * missing one prints netstat's own message ({@code memstat_mtl_find: zone NAME not found}) with exit code 7.
 *
 * <p>One deliberate difference: a source without any malloc(9) layer (its malloc OIDs do not exist, as in
 * today's demo) is read for UMA zones only, so the report gets as far as the first missing type instead of
 * failing on the malloc stream.
 */
@Command(name = "netstat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"FreeBSD's netstat -m: mbuf, cluster and sendfile statistics, text or libxo JSON."})
final class NetstatCommand implements Callable<Integer> {
    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "-m", description = "memory (mbuf) statistics")
    boolean memory;

    /** The OIDs of memstat_sysctl_malloc; their absence means the source has no malloc(9) layer. */
    private static final Set<String> MALLOC_OIDS = Set.of("kern.smp.maxcpus", "kern.malloc_count",
            "vm.malloc.zone_count", "vm.malloc.zone_sizes", "kern.malloc_stats");

    @Override
    public Integer call() throws MemstatException, MbufSummary.MissingTypeException {
        if (!memory) {
            throw new CommandLine.ParameterException(spec.commandLine(), "netstat: only -m is supported");
        }
        OutputFormat format = parent.outputFormat(spec);
        MbufReport report;
        try (SysctlSource source = parent.openSource(false)) {
            MemoryTypeList list = new MemoryTypeList();
            try {
                list.refreshAll(source);
            } catch (MemstatException e) {
                if (!noMallocLayer(e)) {
                    throw e;
                }
                list.refreshUma(source);
            }
            MbufSummary mbuf = MbufSummary.from(list);
            report = MbufReport.read(mbuf, source, order(source));
        }
        if (format.json()) {
            Map<String, Object> doc = Json.object();
            doc.put("mbuf-statistics", report.json());
            parent.cli.out().print(Json.write(doc, format.pretty()));
        } else {
            StringBuilder sb = new StringBuilder();
            report.text(sb);
            parent.cli.out().print(sb);
        }
        parent.cli.out().flush();
        return ExitCode.OK;
    }

    private static boolean noMallocLayer(MemstatException e) {
        return e.getCause() instanceof SysctlException s && s.errno() == Errno.ENOENT
                && MALLOC_OIDS.contains(s.oid());
    }

    static ByteOrder order(SysctlSource source) {
        if (source instanceof ListableSource l) {
            try {
                return l.order();
            } catch (SysctlException e) {
                throw Errors.of(source.uri(), e);
            }
        }
        return StreamOrder.of(source);
    }
}
