/**
 * uma-core: FreeBSD's UMA zone allocator on off-heap memory, one class per UMA layer.
 *
 * <pre>
 *  Zone ──▶ ZoneCache (a thread's alloc + free bucket and counters; cache_alloc / cache_free)
 *    │        └─ ZoneCaches: who owns which cache, leases (at most maxCpus hold buckets), shared caches,
 *    │                       revocation of idle caches, retired counts of dead threads
 *    ├──▶ BucketDepot (full / empty buckets, working-set estimate)        ── its own lock
 *    ├──▶ BucketSize  (bucket size: slow start, contention growth, decay, maxcache)
 *    ├──▶ ZoneLimit   (item limit, sleepers, warning, max action)
 *    └──▶ Keg (slabs of one size; partial / full / free lists)          ── keg lock
 *            └──▶ Slab (pages carved into items, free bitset)
 *                    └──▶ PageSource (one mmap'd range in a shared arena) ── page lock
 *  UmaTimeout: the trim tick (uma_timeout)   ProcessBarrier: the heavy side of the caches' fence
 * </pre>
 *
 * <p>Each piece of mutable state has one owner that changes it; the others ask. {@link org.memstat.uma.Zone}
 * holds the fast path (no lock, no atomic instruction) and the public API; {@code ZoneSlowPath} everything
 * else a zone does, asking the parts above. Lock order: the caches' lock, a cache's, the depot's, the keg's,
 * the page source's; none is held across a user callback or a page allocation.
 *
 * <p>Steady state: every trim tick (20 s by default) trims each depot to its working-set estimate, halves bucket
 * growth, revokes caches idle for a whole interval, retires dead threads' caches and frees empty slabs, whose
 * pages go back to the kernel in batches. Counters only grow. After {@link org.memstat.uma.Uma#close()} every
 * call and every access through a segment of the allocator throws {@link java.lang.IllegalStateException}.
 * docs/UMA.md has the long form, with every deviation from FreeBSD.
 */
package org.memstat.uma;
