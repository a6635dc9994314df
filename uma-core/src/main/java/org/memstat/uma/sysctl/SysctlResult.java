package org.memstat.uma.sysctl;

/**
 * The outcome of a registry read, size query or write, as {@code sysctl(3)} reports it through its return value and
 * {@code *oldlenp}.
 *
 * @param errno 0 on success, else an {@link Errno} value
 * @param size  on success the value size (read, size query) or bytes consumed (write); on {@link Errno#ENOMEM}
 *              the size the caller's buffer needs; otherwise 0
 */
public record SysctlResult(int errno, int size) {
    /** {@return true when errno is 0} */
    public boolean ok() {
        return errno == Errno.OK;
    }

    static SysctlResult error(int errno) {
        return new SysctlResult(errno, 0);
    }
}
