package org.memstat.cli;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memstat sysctl}: FreeBSD's {@code sysctl(8)} output style over a source. {@code name: value} per OID,
 * opaque values only with {@code -o}/{@code -x} (as FreeBSD), {@code -b} raw bytes. A node name shows its leaves.
 * {@code NAME=VALUE} (or {@code -w NAME=VALUE}) sets a value on sources that take writes (the demo, and
 * {@code unix:} servers started with writes enabled) and prints {@code name: old -> new}.
 *
 * <p>Like sysctl, every name is processed even after a failure; each failure prints one line, and the exit code
 * is that of the first failure.
 */
@Command(name = "sysctl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Read (and on some sources set) OIDs, in FreeBSD's sysctl(8) output style."})
final class SysctlCommand implements Callable<Integer> {
    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "-a", description = "all OIDs the source can list")
    boolean all;

    @Option(names = "-b", description = "values as raw bytes, without names or newlines")
    boolean binary;

    @Option(names = "-e", description = "separate name and value with '=' instead of ': '")
    boolean equals;

    @Option(names = "-n", description = "values only, no names")
    boolean noNames;

    @Option(names = "-N", description = "names only, no values")
    boolean namesOnly;

    @Option(names = "-o", description = "also show opaque values (a hex dump of the first 16 bytes)")
    boolean opaque;

    @Option(names = "-x", description = "numbers in hex, opaque values as a full hex dump")
    boolean hex;

    @Option(names = "-w", paramLabel = "NAME=VALUE", description = "set a value (the same as NAME=VALUE)")
    List<String> writes = new ArrayList<>();

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "OIDs or nodes to show; NAME=VALUE sets")
    List<String> names = new ArrayList<>();

    private int result = ExitCode.OK;

    @Override
    public Integer call() throws IOException {
        parent.requireText(spec);
        List<String> args = new ArrayList<>(names);
        args.addAll(writes);
        if (args.isEmpty() && !all) {
            throw new CommandLine.ParameterException(spec.commandLine(), "sysctl: give -a or at least one NAME");
        }
        try (SysctlSource source = parent.openSource(false)) {
            OidTable table = new OidTable(source);
            if (args.isEmpty()) {
                for (OidEntry e : table.leaves("")) {
                    show(source, table, e, true);
                }
            }
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq >= 0 || writes.contains(arg)) {
                    if (eq < 0) {
                        fail(ExitCode.USAGE, "-w " + arg + ": expected NAME=VALUE");
                        continue;
                    }
                    set(source, table, arg.substring(0, eq).strip(), arg.substring(eq + 1).strip());
                } else {
                    named(source, table, arg.strip());
                }
            }
        }
        parent.cli.out().flush();
        return result;
    }

    private void named(SysctlSource source, OidTable table, String name) throws IOException {
        OidEntry e;
        try {
            e = table.describe(name);
        } catch (SysctlException ex) {
            if (ex.errno() == Errno.ENOENT) {
                fail(ExitCode.IO, source.uri() + ": unknown oid '" + name + "'");
            } else {
                fail(Errors.of(source.uri(), ex));
            }
            return;
        }
        if (e.kind() == OidKind.NODE) {
            for (OidEntry leaf : table.leaves(name)) {
                show(source, table, leaf, false);
            }
        } else {
            show(source, table, e, false);
        }
    }

    /** Prints one OID; under {@code -a} a value that cannot be read is skipped, as sysctl's walk does. */
    private void show(SysctlSource source, OidTable table, OidEntry e, boolean walking) throws IOException {
        if (namesOnly) {
            parent.cli.out().print(e.name() + "\n");
            return;
        }
        byte[] v;
        try {
            v = source.read(e.name());
        } catch (SysctlException ex) {
            if (!walking) {
                fail(Errors.of(source.uri(), ex));
            }
            return;
        }
        if (binary) {
            parent.cli.out().flush();
            parent.cli.rawOut().write(v);
            parent.cli.rawOut().flush();
            return;
        }
        String text = SysctlValues.format(e, v, table.order(), hex, opaque);
        if (text != null) {
            parent.cli.out().print((noNames ? "" : e.name() + (equals ? "=" : ": ")) + text + "\n");
        }
    }

    private void set(SysctlSource source, OidTable table, String name, String value) {
        if (!(source instanceof WritableSource w)) {
            fail(ExitCode.PERMISSION, source.uri() + ": this source does not take writes");
            return;
        }
        OidEntry e;
        byte[] before;
        try {
            e = table.describe(name);
            if (e.kind() == OidKind.NODE) {
                fail(ExitCode.USAGE, "oid '" + name + "' isn't a leaf node");
                return;
            }
            if (!e.writable()) {
                fail(ExitCode.PERMISSION, "oid '" + name + "' is read only");
                return;
            }
            if (e.kind() == OidKind.OPAQUE) {
                fail(ExitCode.USAGE, "oid '" + name + "' is type " + e.kind().ctlType + ", cannot set that");
                return;
            }
            byte[] encoded = SysctlValues.parse(e, value, table.order());
            before = w.read(name);
            w.write(name, encoded);
            byte[] after = w.read(name);
            String old = SysctlValues.format(e, before, table.order(), hex, opaque);
            String now = SysctlValues.format(e, after, table.order(), hex, opaque);
            parent.cli.out().print((noNames ? "" : name + (equals ? "=" : ": ")) + old + " -> " + now + "\n");
        } catch (IllegalArgumentException ex) {
            fail(ExitCode.USAGE, ex.getMessage());
        } catch (SysctlException ex) {
            if (ex.errno() == Errno.ENOENT) {
                fail(ExitCode.IO, source.uri() + ": unknown oid '" + name + "'");
            } else {
                fail(Errors.of(source.uri(), ex));
            }
        }
    }

    private void fail(int code, String message) {
        fail(new CliException(code, message));
    }

    private void fail(CliException e) {
        parent.cli.out().flush();
        parent.cli.err().print("memstat: " + Errors.oneLine(e.getMessage()) + "\n");
        parent.cli.err().flush();
        if (result == ExitCode.OK) {
            result = e.code();
        }
    }
}
