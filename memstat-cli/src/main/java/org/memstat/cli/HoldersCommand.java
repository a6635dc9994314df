package org.memstat.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SampleProfile;
import org.memstat.lib.SysctlSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memstat holders ZONE [-n N]}: the sites holding the most of a zone's memory now, from
 * {@code vm.zone_samples} ({@link Holders}). All zones of that name are merged. A zone the source does not have is
 * exit 7; a zone with sampling off and no sites prints one line saying how to turn it on, and exits 0.
 */
@Command(name = "holders", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"The allocation sites holding the most of a zone's memory (estimated from vm.zone_samples).",
            "", "Turn sampling on or up with: memstat sysctl -w vm.uma.ZONE.sample_rate=BYTES (1 samples every "
                + "allocation)."})
final class HoldersCommand implements Callable<Integer> {
    /** libxo-style version of the JSON document. */
    static final String XO_VERSION = "1";

    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ZONE", description = "the zone's name, as vmstat -z prints it")
    String zone;

    @Option(names = {"-n", "--top"}, paramLabel = "N", defaultValue = "10",
            description = "show the N biggest sites (default: ${DEFAULT-VALUE})")
    int top;

    @Override
    public Integer call() throws MemstatException {
        OutputFormat format = parent.outputFormat(spec);
        if (top < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n must be at least 1");
        }
        SampleProfile samples;
        String uri;
        try (SysctlSource source = parent.openSource(false)) {
            uri = source.uri();
            samples = SampleProfile.read(source);
        }
        if (samples.zones(zone).isEmpty()) {
            throw Holders.unknownZone(uri, zone, samples);
        }
        Holders.Report report = Holders.of(samples, zone);
        if (format.json()) {
            Map<String, Object> doc = Json.object();
            doc.put("__version", XO_VERSION);
            doc.put("holders", Holders.json(report, top));
            parent.cli.out().print(Json.write(doc, format.pretty()));
        } else {
            StringBuilder sb = new StringBuilder();
            Holders.text(report, top, sb);
            parent.cli.out().print(sb);
        }
        parent.cli.out().flush();
        return ExitCode.OK;
    }
}
