package org.memstat.cli;

import java.io.PrintWriter;
import org.memstat.lib.MbufSummary;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;

/**
 * Turns every failure into one line on standard error and an exit code ({@link ExitCode}); nothing else ever
 * reaches the user, so there is never a stack trace.
 *
 * <p>A failed refresh keeps libmemstat's own text (FreeBSD reports a missing {@code vm.zone_stats} as "Version
 * mismatch", so do we), but the exit code says what really happened: a read that failed in the source (a
 * {@link SysctlException} cause) is {@link ExitCode#IO}, or {@link ExitCode#PERMISSION} for EACCES/EPERM, whatever
 * libmemstat code it was reported under.
 */
final class Errors {
    private Errors() {
    }

    /**
     * Maps a refresh failure: {@code <source>: <oid>: <strerror>: <detail>[ (byte B, record R)]}.
     *
     * @param e the failure
     * @return the exception to end the command with
     */
    static CliException of(MemstatException e) {
        return of(e, e.source());
    }

    /**
     * Maps a refresh failure of a copy of a source's values (as {@code dump} validates them) under the name of
     * the source they were read from.
     *
     * @param e      the failure
     * @param source the source URI to name, or null
     * @return the exception to end the command with
     */
    static CliException of(MemstatException e, String source) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source).append(": ");
        }
        if (e.oid() != null) {
            sb.append(e.oid()).append(": ");
        }
        sb.append(e.strerror()).append(": ").append(e.detail());
        if (e.offset() >= 0 || e.record() >= 0) {
            sb.append(" (");
            if (e.offset() >= 0) {
                sb.append("byte ").append(e.offset());
            }
            if (e.record() >= 0) {
                sb.append(e.offset() >= 0 ? ", " : "").append("record ").append(e.record());
            }
            sb.append(')');
        }
        return new CliException(code(e), sb.toString(), e);
    }

    /** The exit code of a refresh failure; see the class comment. */
    static int code(MemstatException e) {
        if (e.getCause() instanceof SysctlException s && s.errno() != Errno.EINVAL) {
            return code(s.errno());
        }
        return switch (e.error()) {
            case VERSION -> ExitCode.VERSION;
            case DATAERROR -> ExitCode.DATAERROR;
            case PERMISSION -> ExitCode.PERMISSION;
            default -> ExitCode.SOFTWARE;
        };
    }

    /**
     * Maps a failed read of one OID: {@code <source>: <oid>: <errno> <detail>}.
     *
     * @param uri the source
     * @param e   the failure
     * @return the exception to end the command with
     */
    static CliException of(String uri, SysctlException e) {
        return new CliException(code(e.errno()), uri + ": " + e.oid() + ": " + e.reason(), e);
    }

    /** EACCES/EPERM are permission errors, EINVAL a malformed value, everything else a failed read. */
    static int code(Errno errno) {
        return switch (errno) {
            case EACCES, EPERM -> ExitCode.PERMISSION;
            case EINVAL -> ExitCode.DATAERROR;
            default -> ExitCode.IO;
        };
    }

    /**
     * Prints the one line for {@code t} and returns its exit code. Unexpected exceptions are internal errors,
     * reported by class and message only ({@code MEMSTAT_DEBUG=1} adds the stack trace, for developers).
     *
     * @param cli where to print
     * @param t   what went wrong
     * @return the exit code
     */
    static int report(Cli cli, Throwable t) {
        CliException c = translate(t);
        PrintWriter err = cli.err();
        cli.out().flush();
        err.print("memstat: " + oneLine(c.getMessage()) + "\n");
        if ("1".equals(cli.env().get("MEMSTAT_DEBUG")) && c.getCause() != null) {
            c.getCause().printStackTrace(err);
        }
        err.flush();
        return c.code();
    }

    private static CliException translate(Throwable t) {
        return switch (t) {
            case CliException c -> c;
            case MemstatException m -> of(m);
            case MbufSummary.MissingTypeException m -> new CliException(ExitCode.MISSING_TYPE, m.getMessage(), m);
            case OutOfMemoryError o -> new CliException(ExitCode.SOFTWARE, "out of memory", o);
            case StackOverflowError s -> new CliException(ExitCode.SOFTWARE, "internal error: stack overflow", s);
            default -> new CliException(ExitCode.SOFTWARE, "internal error: " + t.getClass().getName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()), t);
        };
    }

    /** Keeps the "one line" promise even for messages that carry a newline or control characters. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.toString();
    }
}
