package org.memstat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SampleProfile;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;
import org.memstat.lib.ZonePeaks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memstat dump --out DIR}: saves the OIDs the tools read ({@link KnownOids}) from any source as a
 * {@code dir:} snapshot, raw as {@code sysctl -b} gives them, plus {@code memstat.dump} with the capture time
 * (which {@code diff} uses for rates).
 *
 * <p>memstat's own {@code vm.zone_samples} and {@code vm.zone_peaks} are saved too when the source has them, so
 * {@code profile}, {@code holders} and {@code vmstat -z --peak} work on the snapshot.
 *
 * <p>OIDs the source does not have are skipped; any other read failure, or streams that do not parse, fail the
 * whole dump. The snapshot is written into a fresh hidden directory next to DIR and renamed into place, so a
 * failed dump leaves nothing behind and a reader never sees half a snapshot. A non-empty DIR is replaced only
 * with {@code --force}.
 */
@Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Save a snapshot of a source as a dir: source (all OIDs the tools need)."})
final class DumpCommand implements Callable<Integer> {
    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true, description = "the snapshot directory")
    Path out;

    @Option(names = "--force", description = "replace DIR if it is not empty")
    boolean force;

    @Override
    public Integer call() {
        parent.requireText(spec);
        Path target = out.toAbsolutePath().normalize();
        checkTarget(target);
        Map<String, byte[]> values = new LinkedHashMap<>();
        String uri;
        Instant captured;
        try (SysctlSource source = parent.openSource(false)) {
            uri = source.uri();
            for (String oid : KnownOids.ALL.keySet()) {
                try {
                    values.put(oid, source.read(oid));
                } catch (SysctlException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw Errors.of(uri, e);
                    }
                }
            }
            captured = parent.cli.wallClock().get();
        }
        validate(uri, values);
        Metadata meta = new Metadata(uri, captured, VersionProvider.version(), values.keySet());
        write(target, values, meta);
        parent.cli.out().print("dir:" + target + ": " + values.size() + " OIDs from " + uri + " at "
                + captured + "\n");
        parent.cli.out().flush();
        return ExitCode.OK;
    }

    private void checkTarget(Path target) {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new CliException(ExitCode.USAGE, "dump: " + target + " exists and is not a directory");
        }
        if (!force && Files.isDirectory(target) && !isEmpty(target)) {
            throw new CliException(ExitCode.USAGE, "dump: " + target + " is not empty; use --force to replace it");
        }
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new CliException(ExitCode.IO, "dump: " + target.getParent() + " does not exist");
        }
    }

    /** Parses what was read, so that a snapshot that memstat could not read back is never written. */
    private static void validate(String uri, Map<String, byte[]> values) {
        if (!values.containsKey(KnownOids.ZONE_STATS) && !values.containsKey(KnownOids.MALLOC_STATS)) {
            throw new CliException(ExitCode.IO, uri + ": has neither vm.zone_stats nor kern.malloc_stats; "
                    + "nothing to dump");
        }
        SysctlSource snapshot = SysctlSource.of(values);
        try {
            if (values.containsKey(KnownOids.ZONE_STATS)) {
                new MemoryTypeList().refreshUma(snapshot);
            }
            if (values.containsKey(KnownOids.MALLOC_STATS)) {
                new MemoryTypeList().refreshMalloc(snapshot);
            }
            if (values.containsKey(KnownOids.SAMPLES)) {
                SampleProfile.read(snapshot);
            }
            if (values.containsKey(KnownOids.PEAKS)) {
                ZonePeaks.read(snapshot);
            }
        } catch (MemstatException e) {
            throw Errors.of(e, uri);
        }
    }

    private static void write(Path target, Map<String, byte[]> values, Metadata meta) {
        Path parentDir = target.getParent();
        Path tmp = null;
        Path old = null;
        try {
            tmp = Files.createTempDirectory(parentDir, "." + target.getFileName() + ".tmp-");
            for (Map.Entry<String, byte[]> e : values.entrySet()) {
                Files.write(tmp.resolve(e.getKey()), e.getValue());
            }
            Files.writeString(tmp.resolve(DirSource.METADATA), meta.text(), StandardCharsets.UTF_8);
            if (Files.isDirectory(target)) {
                try {
                    Files.delete(target);
                } catch (DirectoryNotEmptyException e) {
                    // --force: move the old snapshot aside first, so the new one appears in one rename.
                    old = Files.createTempDirectory(parentDir, "." + target.getFileName() + ".old-");
                    Files.delete(old);
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "dump: cannot write " + target + ": " + e, e);
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(old);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "dump: cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: a leftover hidden temporary directory is harmless.
        }
    }
}
