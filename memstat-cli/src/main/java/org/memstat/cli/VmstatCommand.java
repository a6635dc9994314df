package org.memstat.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlSource;
import org.memstat.lib.ZonePeak;
import org.memstat.lib.ZonePeaks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmstat -z} and {@code vmstat -m}. With both, malloc types come first, as FreeBSD's vmstat runs its
 * {@code -m} report before {@code -z}. Both reports are read completely before anything is printed, so a failure
 * prints nothing on standard output.
 */
@Command(name = "vmstat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"FreeBSD's vmstat -z (UMA zones) and vmstat -m (malloc types), text or libxo JSON."})
final class VmstatCommand implements Callable<Integer> {
    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "-z", description = "UMA zones: vm.zone_stats (memstat_sysctl_uma)")
    boolean zones;

    @Option(names = "-m", description = "malloc(9) types: kern.malloc_stats (memstat_sysctl_malloc)")
    boolean malloc;

    @Option(names = "--peak", description = "with -z: add PEAK-USED (sampled peak items in use) and KEG-PEAK (the "
            + "keg's peak bytes of pages) from vm.zone_peaks; - where the source has none (memstat's own columns)")
    boolean peak;

    /** libxo's version of vmstat's output ({@code VMSTAT_XO_VERSION}), emitted as {@code __version} in JSON. */
    static final String XO_VERSION = "1";

    @Override
    public Integer call() throws MemstatException {
        if (!zones && !malloc) {
            throw new CommandLine.ParameterException(spec.commandLine(), "vmstat: give -z, -m or both");
        }
        if (peak && !zones) {
            throw new CommandLine.ParameterException(spec.commandLine(), "vmstat: --peak needs -z");
        }
        OutputFormat format = parent.outputFormat(spec);
        MemoryTypeList mallocList = new MemoryTypeList();
        MemoryTypeList zoneList = new MemoryTypeList();
        List<Optional<ZonePeak>> peaks = null;
        try (SysctlSource source = parent.openSource(false)) {
            if (malloc) {
                mallocList.refreshMalloc(source);
            }
            if (zones) {
                zoneList.refreshUma(source);
            }
            if (peak) {
                peaks = Peaks.join(zoneList, ZonePeaks.read(source));
            }
        }
        if (format.json()) {
            Map<String, Object> doc = Json.object();
            doc.put("__version", XO_VERSION);
            if (malloc) {
                doc.put("malloc-statistics", MallocReport.json(mallocList));
            }
            if (zones) {
                doc.put("memory-zone-statistics", ZoneReport.json(zoneList, peaks));
            }
            parent.cli.out().print(Json.write(doc, format.pretty()));
        } else {
            StringBuilder sb = new StringBuilder();
            if (malloc) {
                MallocReport.text(mallocList, sb);
            }
            if (zones) {
                ZoneReport.text(zoneList, peaks, sb);
            }
            parent.cli.out().print(sb);
        }
        parent.cli.out().flush();
        return ExitCode.OK;
    }
}
