package org.memstat.cli;

/**
 * The process exit codes, one per kind of failure, so that scripts can tell a corrupt snapshot from an unreachable
 * daemon. Listed in every command's {@code --help} and in {@code docs/CLI.md}.
 */
final class ExitCode {
    private ExitCode() {
    }

    /** Success. */
    static final int OK = 0;
    /** An internal error (a bug); the message starts with "internal error". */
    static final int SOFTWARE = 1;
    /** Bad command line: picocli's message and usage. */
    static final int USAGE = 2;
    /** A stream's version word or header is wrong (libmemstat's VERSION). */
    static final int VERSION = 3;
    /** A stream or value is truncated or corrupt (libmemstat's DATAERROR). */
    static final int DATAERROR = 4;
    /** The source cannot be reached or read: no source, a missing OID, an I/O error or a timeout. */
    static final int IO = 5;
    /** The source refused access, or refused a write. */
    static final int PERMISSION = 6;
    /**
     * A zone or malloc type the command needs is missing: {@code netstat -m} (FreeBSD's own message), the zone of
     * {@code holders} or of {@code profile --zone}.
     */
    static final int MISSING_TYPE = 7;

    /** The exit code list of {@code --help}, "code:description" as picocli's {@code exitCodeList} wants it. */
    static final String[] HELP_LIST = {
        "0:success",
        "1:internal error",
        "2:usage error (bad option or argument)",
        "3:version mismatch: a stream's version word or header is wrong",
        "4:data format error: a stream or value is truncated or corrupt",
        "5:source unreachable or unreadable: no source, missing OID, I/O error, timeout",
        "6:permission denied, or the source does not accept writes",
        "7:a zone or malloc type the command needs is missing",
    };
}
