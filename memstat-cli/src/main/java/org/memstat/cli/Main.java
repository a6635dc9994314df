package org.memstat.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code memstat} command line: {@code java -jar memstat.jar [--source URI] COMMAND ...}, normally through
 * {@code bin/memstat}. Exit codes are listed in {@code --help}; every failure is one line on standard error.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(Cli.system(), args));
    }

    /**
     * Runs one command line against {@code cli}'s streams and environment; never throws.
     *
     * @param cli  the world the command sees
     * @param args the arguments
     * @return the exit status
     */
    static int run(Cli cli, String... args) {
        try {
            int code = commandLine(cli).execute(args);
            cli.out().flush();
            cli.err().flush();
            return code;
        } catch (Throwable t) {
            return Errors.report(cli, t);
        }
    }

    /** The configured picocli command line; also used by tests to check the help texts. */
    static CommandLine commandLine(Cli cli) {
        CommandLine cl = new CommandLine(new MemstatCommand(cli));
        cl.setOut(cli.out());
        cl.setErr(cli.err());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> Errors.report(cli, ex));
        Map<String, String> codes = new LinkedHashMap<>();
        for (String entry : ExitCode.HELP_LIST) {
            int colon = entry.indexOf(':');
            codes.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        exitCodes(cl, codes);
        return cl;
    }

    /** Lists the exit codes in the help of every command, so that each {@code --help} shows them. */
    private static void exitCodes(CommandLine cl, Map<String, String> codes) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            exitCodes(sub, codes);
        }
    }
}
