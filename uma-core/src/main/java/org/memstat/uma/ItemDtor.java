package org.memstat.uma;

/** Destructor run on every free, before the item enters the per-thread cache (UMA's {@code uz_dtor}). */
@FunctionalInterface
public interface ItemDtor {
    /**
     * Destroys an item.
     *
     * @param item the item's address
     * @param size the zone's item size in bytes
     * @param arg  the argument given to {@link Zone#freeArg(long, Object)}, or {@code null}
     */
    void destruct(long item, int size, Object arg);
}
