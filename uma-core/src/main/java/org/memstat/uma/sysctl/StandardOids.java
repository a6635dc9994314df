package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;

/**
 * Registers FreeBSD's standard OIDs on a {@link Sysctl}, fed by small interfaces the allocator implements, so the
 * registry stays decoupled from the engine.
 *
 * <table>
 * <caption>OIDs</caption>
 * <tr><th>OID</th><th>type</th><th>format</th><th>source</th></tr>
 * <tr><td>{@code kern.smp.maxid}</td><td>int</td><td>I</td><td>{@code maxCpus - 1}</td></tr>
 * <tr><td>{@code kern.smp.maxcpus}</td><td>int</td><td>I</td><td>{@code maxCpus}</td></tr>
 * <tr><td>{@code vm.zone_count}, {@code vm.uma_count}</td><td>int</td><td>I</td>
 *     <td>{@link ZoneStatsProducer#zoneCount()} ({@code vm.uma_count} is this project's alias; FreeBSD has only
 *     {@code vm.zone_count})</td></tr>
 * <tr><td>{@code vm.zone_stats}</td><td>opaque</td><td>s,struct uma_type_header</td>
 *     <td>{@link ZoneStatsProducer#writeTo}</td></tr>
 * <tr><td>{@code kern.malloc_count}</td><td>int</td><td>I</td><td>{@link MallocStatsProducer#typeCount()}</td></tr>
 * <tr><td>{@code kern.malloc_stats}</td><td>opaque</td><td>s,malloc_type_ustats</td>
 *     <td>{@link MallocStatsProducer#writeTo}</td></tr>
 * <tr><td>{@code vm.malloc.zone_count}</td><td>uint</td><td>IU</td><td>number of malloc zones</td></tr>
 * <tr><td>{@code vm.malloc.zone_sizes}</td><td>opaque</td><td>S</td><td>the zone sizes as native ints</td></tr>
 * <tr><td>{@code vm.kmem_size}</td><td>ulong</td><td>LU</td><td>the page source's limit</td></tr>
 * <tr><td>{@code kern.ipc.nmb*}</td><td>int</td><td>IU</td><td>{@link MbufLimitOids}, writable</td></tr>
 * </table>
 *
 * <p>Streams are produced on every read with a pooled writer per concurrent reader, so reads never block each
 * other and a warm read allocates no per-zone objects. A read into a buffer large enough gets the stream written
 * straight into that buffer ({@link DirectOpaqueReader}); size queries and smaller buffers go through the writer's
 * own buffer.
 */
public final class StandardOids {
    private StandardOids() {
    }

    /**
     * Registers {@code kern.smp.maxid} and {@code kern.smp.maxcpus}.
     *
     * @param sysctl  the registry
     * @param maxCpus the CPU slots the streams carry
     */
    public static void registerSmp(Sysctl sysctl, int maxCpus) {
        if (maxCpus < 1) {
            throw new IllegalArgumentException("maxCpus " + maxCpus + " < 1");
        }
        sysctl.addInt("kern.smp.maxid", "Max CPU ID", () -> maxCpus - 1);
        sysctl.addInt("kern.smp.maxcpus", "Maximum number of CPUs", () -> maxCpus);
    }

    /**
     * Registers {@code vm.zone_count}, {@code vm.uma_count} and {@code vm.zone_stats}.
     *
     * @param sysctl   the registry
     * @param producer the allocator's zones
     */
    public static void registerZoneStats(Sysctl sysctl, ZoneStatsProducer producer) {
        sysctl.addInt("vm.zone_count", "Number of UMA zones", producer::zoneCount);
        sysctl.addInt("vm.uma_count", "Number of UMA zones (alias of vm.zone_count)", producer::zoneCount);
        sysctl.addOpaque("vm.zone_stats", "s,struct uma_type_header", "Zone Stats", new StreamOid<>(
                ZoneStatsStream.Writer::new, ZoneStatsStream.Writer::stream, producer::writeTo), null);
    }

    /**
     * Registers {@code kern.malloc_count}, {@code kern.malloc_stats}, {@code vm.malloc.zone_count} and
     * {@code vm.malloc.zone_sizes}.
     *
     * @param sysctl    the registry
     * @param producer  the malloc types
     * @param zoneSizes item sizes of the malloc zones, in zone index order (bit i of {@code mts_size})
     */
    public static void registerMallocStats(Sysctl sysctl, MallocStatsProducer producer, int[] zoneSizes) {
        sysctl.addInt("kern.malloc_count", "Number of malloc types", producer::typeCount);
        sysctl.addOpaque("kern.malloc_stats", "s,malloc_type_ustats", "Return malloc types", new StreamOid<>(
                MallocStatsStream.Writer::new, MallocStatsStream.Writer::stream, producer::writeTo), null);
        int count = zoneSizes.length;
        ByteBuffer sizes = ByteBuffer.allocate(count * Integer.BYTES).order(ByteOrder.nativeOrder());
        for (int s : zoneSizes) {
            sizes.putInt(s);
        }
        ByteBuffer frozen = sizes.flip().asReadOnlyBuffer();
        sysctl.addInt("vm.malloc.zone_count", OidType.UINT, "IU", "Number of malloc zones", () -> count, null);
        sysctl.addOpaque("vm.malloc.zone_sizes", "S", "Item sizes of the malloc zones", sink -> sink.accept(
                frozen.duplicate()), null);
    }

    /**
     * Registers {@code vm.kmem_size}.
     *
     * @param sysctl   the registry
     * @param kmemSize the page source's limit in bytes
     */
    public static void registerKmemSize(Sysctl sysctl, LongSupplier kmemSize) {
        sysctl.addLong("vm.kmem_size", OidType.ULONG, "LU", "Size of the memory the allocator may map", kmemSize,
                null);
    }

    /**
     * Registers the mbuf limits ({@code kern.ipc.nmbclusters} and friends).
     *
     * @param sysctl    the registry
     * @param tunables  the limits and their applier
     * @return {@code tunables}
     */
    public static MbufLimitOids registerMbufLimitOids(Sysctl sysctl, MbufLimitOids tunables) {
        tunables.register(sysctl);
        return tunables;
    }
}
