package org.memstat.uma;

/** The inverse of {@link ItemInit}: run when an item leaves the zone (to the keg) or its slab is freed. */
@FunctionalInterface
public interface ItemFini {
    /**
     * Finalizes an item.
     *
     * @param item the item's address
     * @param size the item size in bytes
     */
    void fini(long item, int size);
}
