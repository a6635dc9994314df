package org.memstat.lib;

import java.io.Serial;

/**
 * A {@link SysctlSource} read failed, with a FreeBSD errno saying how, as {@code sysctlbyname(3)} reports it.
 *
 * <p>The errno matters: a refresh maps {@code EACCES}/{@code EPERM} to {@link MemstatError#PERMISSION},
 * retries a stream read on {@code ENOMEM}, and maps everything else as libmemstat does (reference §3.4).
 */
public final class SysctlException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** FreeBSD errno values a source may report, with FreeBSD's numbers. */
    public enum Errno {
        /** 1: operation not permitted. */
        EPERM(1),
        /** 2: no such OID (or file, or HTTP 404). */
        ENOENT(2),
        /** 5: I/O error: transport failure, a handler failed inside the server, or a malformed answer. */
        EIO(5),
        /** 7: the answer would be too large. */
        E2BIG(7),
        /** 12: the value is larger than the buffer offered; it changed size while being read. */
        ENOMEM(12),
        /** 13: access denied (a file's or socket's permissions, the server's peer check). */
        EACCES(13),
        /** 20: the name passes through a leaf. */
        ENOTDIR(20),
        /** 21: the name is a node, not a leaf. */
        EISDIR(21),
        /** 22: invalid value; also {@link SysctlSource#readInt} of a value that is not exactly 4 bytes. */
        EINVAL(22),
        /** 43: the server does not speak this protocol version. */
        EPROTONOSUPPORT(43),
        /** 45: the server does not support the operation. */
        EOPNOTSUPP(45),
        /** 60: the source did not answer in time. */
        ETIMEDOUT(60),
        /** 63: the OID name is too long. */
        ENAMETOOLONG(63);

        private final int number;

        Errno(int number) {
            this.number = number;
        }

        /**
         * Returns FreeBSD's number for this errno.
         *
         * @return for example 2 for {@code ENOENT}
         */
        public int number() {
            return number;
        }

        /**
         * Returns the errno with FreeBSD's number {@code n}.
         *
         * @param n an errno number
         * @return the matching constant, or {@code null} if this enum does not list it
         */
        public static Errno fromNumber(int n) {
            for (Errno e : values()) {
                if (e.number == n) {
                    return e;
                }
            }
            return null;
        }
    }

    /** The OID that could not be read. */
    private final String oid;
    /** How the read failed. */
    private final Errno errno;
    /** Why, without the OID or errno. */
    private final String detail;

    /**
     * Creates an exception for a failed read of {@code oid}.
     *
     * @param oid    the OID being read
     * @param errno  how it failed
     * @param detail one line saying why, without the OID or errno (they are added)
     */
    public SysctlException(String oid, Errno errno, String detail) {
        this(oid, errno, detail, null);
    }

    /**
     * Creates an exception for a failed read of {@code oid} with an underlying cause.
     *
     * @param oid    the OID being read
     * @param errno  how it failed
     * @param detail one line saying why, without the OID or errno (they are added)
     * @param cause  the underlying exception, or {@code null}
     */
    public SysctlException(String oid, Errno errno, String detail, Throwable cause) {
        super(oid + ": " + errno + " " + detail, cause);
        this.oid = oid;
        this.errno = errno;
        this.detail = detail;
    }

    /**
     * Returns the OID that could not be read.
     *
     * @return the OID name
     */
    public String oid() {
        return oid;
    }

    /**
     * Returns the errno and detail without the OID, for example {@code "ENOENT no such file"}.
     *
     * @return one line
     */
    public String reason() {
        return errno + " " + detail;
    }

    /**
     * Returns how the read failed.
     *
     * @return the errno, never {@code null}
     */
    public Errno errno() {
        return errno;
    }
}
