package org.memstat.uma;

/**
 * Constructor run on every allocation, after the item left the per-thread cache (UMA's {@code uz_ctor}).
 * It may fail: a non-zero errno fails the allocation cleanly (the item goes back to the cache and
 * {@code fails} is counted).
 */
@FunctionalInterface
public interface ItemCtor {
    /**
     * Constructs an item.
     *
     * @param item  the item's address
     * @param size  the zone's item size in bytes
     * @param arg   the argument given to {@link Zone#allocArg(Object, int)}, or {@code null}
     * @param flags the allocation flags ({@link Uma#M_NOWAIT}, {@link Uma#M_WAITOK}, ...)
     * @return 0 on success, or an errno such as {@link Uma#ENOMEM}
     */
    int construct(long item, int size, Object arg, int flags);
}
