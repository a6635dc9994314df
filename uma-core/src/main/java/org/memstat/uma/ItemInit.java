package org.memstat.uma;

/**
 * Initializer run when an item enters a zone from below: for a primary zone when its slab is carved
 * from fresh pages (UMA's keg {@code uk_init}), for a secondary zone when the item moves from the shared
 * keg into the zone's caches ({@code uz_init}). It may fail with an errno; the allocation then fails
 * cleanly and nothing is leaked.
 */
@FunctionalInterface
public interface ItemInit {
    /**
     * Initializes an item.
     *
     * @param item  the item's address
     * @param size  the item size in bytes
     * @param flags the allocation flags of the allocation that caused the import
     * @return 0 on success, or an errno such as {@link Uma#ENOMEM}
     */
    int init(long item, int size, int flags);
}
