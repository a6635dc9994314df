package org.memstat.uma.sysctl;

/**
 * The errno values the registry and its socket protocol return. Numbers are FreeBSD's; they agree with Linux for
 * every value below 35.
 */
public final class Errno {
    /** Success. */
    public static final int OK = 0;
    /** Write to a read-only OID, or writes disabled on a server. */
    public static final int EPERM = 1;
    /** No OID of that name. */
    public static final int ENOENT = 2;
    /** A handler failed inside the registry server. */
    public static final int EIO = 5;
    /** An answer would exceed a protocol limit. */
    public static final int E2BIG = 7;
    /** The caller's buffer is too small for the value. */
    public static final int ENOMEM = 12;
    /** The peer may not use the registry server. */
    public static final int EACCES = 13;
    /** A name passes through a leaf, or a leaf was listed as a node. */
    public static final int ENOTDIR = 20;
    /** A node was read or written as a leaf. */
    public static final int EISDIR = 21;
    /** A bad value: wrong length or rejected by the OID's handler. */
    public static final int EINVAL = 22;
    /** Unsupported protocol version. */
    public static final int EPROTONOSUPPORT = 43;
    /** Unknown protocol operation. */
    public static final int EOPNOTSUPP = 45;
    /** A name longer than {@link Sysctl#MAX_NAME_LENGTH}. */
    public static final int ENAMETOOLONG = 63;

    private Errno() {
    }

    /**
     * Names an errno value.
     *
     * @param errno an errno value
     * @return its symbolic name, or {@code "errno N"} for a value this class does not define
     */
    public static String name(int errno) {
        return switch (errno) {
            case OK -> "OK";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EIO -> "EIO";
            case E2BIG -> "E2BIG";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            default -> "errno " + errno;
        };
    }
}
