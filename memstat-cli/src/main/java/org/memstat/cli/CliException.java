package org.memstat.cli;

import java.io.Serial;

/**
 * A failure that ends the command: its message is the one line printed after {@code "memstat: "} and its code is
 * the process exit status ({@link ExitCode}).
 */
final class CliException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The exit status. */
    private final int code;

    CliException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    CliException(int code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    /** The exit status for this failure. */
    int code() {
        return code;
    }
}
