package org.memstat.cli;

import java.util.concurrent.Callable;
import org.memstat.lib.SysctlSource;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command: global options, the subcommand list, and how subcommands open their source. */
@Command(name = "memstat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"FreeBSD's UMA and malloc(9) statistics tools for memstat sources.", "",
            "Sources: dir:PATH (a snapshot directory), unix:PATH (a JVM's registry socket), http://HOST:PORT "
                + "(memstatd), demo (an allocator in this process after a short workload).",
            "Without --source: $MEMSTAT_SOURCE, else memstatd on 127.0.0.1:9460."},
        subcommands = {VmstatCommand.class, NetstatCommand.class, TopCommand.class, DumpCommand.class,
            DiffCommand.class, SysctlCommand.class, ProfileCommand.class, HoldersCommand.class,
            AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  MEMSTAT_SOURCE  source URI used when --source is not given",
            "  MEMSTAT_DEBUG=1 print stack traces of internal errors"})
final class MemstatCommand implements Callable<Integer> {
    final Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "URI", scope = ScopeType.INHERIT,
            description = "dir:PATH, unix:PATH, http://HOST:PORT or demo")
    String source;

    @Option(names = "--libxo", paramLabel = "STYLE", scope = ScopeType.INHERIT,
            description = "output style as FreeBSD's libxo: text, json or json,pretty (vmstat, netstat, holders)")
    String libxo;

    @Option(names = "--format", paramLabel = "STYLE", scope = ScopeType.INHERIT,
            description = "the same as --libxo: text or json")
    String format;

    MemstatCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * Opens the source of this run.
     *
     * @param live for {@code demo}: keep the workload running
     * @return the source; the caller closes it
     */
    SysctlSource openSource(boolean live) {
        return Sources.open(Sources.resolve(source, cli), live);
    }

    /**
     * The output style, or a usage error reported against {@code sub}.
     *
     * @param sub the subcommand being run
     * @return the style
     */
    OutputFormat outputFormat(CommandSpec sub) {
        try {
            return OutputFormat.parse(libxo, format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(sub.commandLine(), e.getMessage());
        }
    }

    /**
     * Rejects {@code --libxo json} for commands that only write text.
     *
     * @param sub the subcommand being run
     */
    void requireText(CommandSpec sub) {
        if (outputFormat(sub).json()) {
            throw new CommandLine.ParameterException(sub.commandLine(), sub.name()
                    + " writes text only; --libxo/--format json is for vmstat, netstat and holders");
        }
    }
}
