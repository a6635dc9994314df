package org.memstat.uma.malloc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;

/**
 * Zones standing in for {@code malloc_large}: the public {@code Uma} API has no page allocator, so each large
 * class ({@link SizeClasses#largeClass}) gets its own zone, {@code malloc-large-BYTES}, created on first use.
 *
 * <p>A large item is a whole number of pages and its slab holds just that item, so a drained slab goes straight
 * back to the page source. Unlike {@code kmem_malloc}, a freed item first sits in the freeing thread's cache
 * (buckets of one item for sizes this large) until the next reclaim; those zones appear in {@code vm.zone_stats}
 * under their own names, where FreeBSD shows no zone at all.
 */
final class LargeZones {
    private final Uma uma;
    private final ConcurrentHashMap<Long, Zone> zones = new ConcurrentHashMap<>();

    LargeZones(Uma uma) {
        this.uma = uma;
    }

    /** The zone for a large class, created if needed; null when no zone of this Uma can be that big. */
    Zone zoneFor(long classBytes) {
        if (classBytes > uma.kmemSize() / 2 || classBytes > Integer.MAX_VALUE) {
            return null;
        }
        return zones.computeIfAbsent(classBytes, b -> uma.zcreate("malloc-large-" + b, (int) (long) b, null, null,
                null, null, Uma.ALIGN_PTR, 0));
    }

    /** The zone of a class that was used before. */
    Zone existing(long classBytes) {
        Zone z = zones.get(classBytes);
        if (z == null) {
            throw new IllegalStateException("no large malloc zone of " + classBytes + " bytes");
        }
        return z;
    }

    List<Zone> all() {
        return new ArrayList<>(zones.values());
    }
}
