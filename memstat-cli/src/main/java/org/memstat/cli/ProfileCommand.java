package org.memstat.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SampleProfile;
import org.memstat.lib.SysctlSource;
import org.memstat.pprof.HeapProfile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memstat profile -o FILE}: the source's sampled allocation sites ({@code vm.zone_samples}) as a gzipped
 * pprof heap profile (memstat-pprof's {@link HeapProfile}) for {@code go tool pprof}. One source, so the samples
 * carry no {@code source} label. {@code -o -} writes the profile to standard output.
 *
 * <p>A source without {@code vm.zone_samples}, or whose zones hold no samples, gets a valid empty profile and one
 * line on standard error saying so (exit 0). A {@code --zone} that the profile does not name is exit 7. A file is
 * written next to its final name and renamed into place, so a failed write leaves no half profile.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Write the sampled allocation sites (vm.zone_samples) as a pprof heap profile.", "",
            "Read it with go tool pprof: -top FILE, -sample_index=alloc_space -top FILE, -traces FILE, "
                + "-diff_base=OLD FILE (docs/PROFILES.md)."})
final class ProfileCommand implements Callable<Integer> {
    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "where to write the gzipped profile.proto; - for standard output")
    String output;

    @Option(names = "--zone", paramLabel = "ZONE", description = "only the zones of this name")
    String zone;

    @Override
    public Integer call() throws MemstatException {
        if (parent.outputFormat(spec).json()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "profile writes a pprof profile, not text "
                    + "or JSON; --libxo/--format json is for vmstat, netstat and holders");
        }
        SampleProfile samples;
        String uri;
        try (SysctlSource source = parent.openSource(false)) {
            uri = source.uri();
            samples = SampleProfile.read(source);
        }
        if (zone != null && samples.zones(zone).isEmpty()) {
            throw Holders.unknownZone(uri, zone, samples);
        }
        HeapProfile heap = HeapProfile.builder().add(null, samples, zone);
        byte[] gz = heap.toGzip();
        if (output.equals("-")) {
            parent.cli.out().flush();
            try {
                OutputStream raw = parent.cli.rawOut();
                raw.write(gz);
                raw.flush();
            } catch (IOException e) {
                throw new CliException(ExitCode.IO, "profile: cannot write standard output: " + e.getMessage(), e);
            }
        } else {
            write(Path.of(output).toAbsolutePath().normalize(), gz);
            parent.cli.out().print(output + ": " + heap.sampleCount() + " sites from " + uri + "\n");
            parent.cli.out().flush();
        }
        if (samples.zones().isEmpty()) {
            parent.cli.err().print("memstat: " + uri + ": source has no sampled allocations (" + SampleProfile.OID
                    + " absent); wrote an empty profile\n");
        } else if (heap.sampleCount() == 0) {
            parent.cli.err().print("memstat: " + uri + ": no sampled allocations" + (zone == null ? "" : " in zone "
                    + zone) + " (sampling off, or nothing allocated since it was turned on); wrote an empty "
                    + "profile\n");
        }
        parent.cli.err().flush();
        return ExitCode.OK;
    }

    private static void write(Path target, byte[] gz) {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(ExitCode.IO, "profile: " + dir + " does not exist");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            Files.write(tmp, gz);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "profile: cannot write " + target + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // Best effort: a leftover hidden temporary file is harmless.
                }
            }
        }
    }
}
