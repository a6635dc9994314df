package org.memstat.lib;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures {@code netstat -m} prints, computed from a refreshed {@link MemoryTypeList} exactly as FreeBSD's
 * {@code usr.bin/netstat/mbuf.c} does (reference §5.1-§5.2): unsigned 64-bit arithmetic that may wrap, the
 * packet zone counted both as mbufs and as clusters, and the {@code mbuf_tag} malloc type in the bytes in use.
 *
 * <p>Every value is an unsigned 64-bit number held in a {@code long}; print it with
 * {@link Long#toUnsignedString(long)}. The byte figures are bytes; netstat prints each divided by 1024.
 *
 * @param figures every figure under its libxo key, in netstat's output order
 */
public record MbufSummary(Map<String, Long> figures) {
    /** The UMA zones and malloc type netstat -m reads ({@code <sys/mbuf.h>} names). */
    public static final String MBUF = "mbuf";
    /** The packet secondary zone. */
    public static final String PACKET = "mbuf_packet";
    /** The cluster zone. */
    public static final String CLUSTER = "mbuf_cluster";
    /** The page-size jumbo cluster zone. */
    public static final String JUMBOP = "mbuf_jumbo_page";
    /** The 9k jumbo cluster zone. */
    public static final String JUMBO9 = "mbuf_jumbo_9k";
    /** The 16k jumbo cluster zone. */
    public static final String JUMBO16 = "mbuf_jumbo_16k";
    /** The malloc type of mbuf tags. */
    public static final String TAG = "mbuf_tag";

    /** Copies the map so the record stays immutable; order is kept. */
    public MbufSummary {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Thrown when a zone or malloc type netstat -m needs is missing, with netstat's own message. */
    public static final class MissingTypeException extends Exception {
        private static final long serialVersionUID = 1L;

        MissingTypeException(String message) {
            super(message);
        }
    }

    /**
     * Computes the summary.
     *
     * @param list a list refreshed with both UMA and malloc types
     * @return the figures
     * @throws MissingTypeException {@code memstat_mtl_find: zone NAME not found} or
     *                              {@code memstat_mtl_find: malloc type mbuf_tag not found}, as netstat reports
     */
    public static MbufSummary from(MemoryTypeList list) throws MissingTypeException {
        MemoryType mbuf = zone(list, MBUF);
        MemoryType packet = zone(list, PACKET);
        MemoryType cluster = zone(list, CLUSTER);
        MemoryType tag = list.find(Allocator.MALLOC, TAG)
                .orElseThrow(() -> new MissingTypeException("memstat_mtl_find: malloc type " + TAG + " not found"));
        MemoryType jumbop = zone(list, JUMBOP);
        MemoryType jumbo9 = zone(list, JUMBO9);
        MemoryType jumbo16 = zone(list, JUMBO16);

        Map<String, Long> f = new LinkedHashMap<>();
        long mbufCurrent = mbuf.count() + packet.count();
        long mbufCache = mbuf.free() + packet.free();
        f.put("mbuf-current", mbufCurrent);
        f.put("mbuf-cache", mbufCache);
        f.put("mbuf-total", mbufCurrent + mbufCache);
        f.put("cluster-current", cluster.count() - packet.free());
        f.put("cluster-cache", cluster.free() + packet.free());
        f.put("cluster-total", cluster.count() + cluster.free());
        f.put("cluster-max", cluster.countLimit());
        f.put("packet-count", packet.count());
        f.put("packet-free", packet.free());
        f.put("jumbo-count", jumbop.count());
        f.put("jumbo-cache", jumbop.free());
        f.put("jumbo-total", jumbop.count() + jumbop.free());
        f.put("jumbo-max", jumbop.countLimit());
        f.put("jumbo-page-size", jumbop.size() / 1024);
        f.put("jumbo9-count", jumbo9.count());
        f.put("jumbo9-cache", jumbo9.free());
        f.put("jumbo9-total", jumbo9.count() + jumbo9.free());
        f.put("jumbo9-max", jumbo9.countLimit());
        f.put("jumbo16-count", jumbo16.count());
        f.put("jumbo16-cache", jumbo16.free());
        f.put("jumbo16-total", jumbo16.count() + jumbo16.free());
        f.put("jumbo16-limit", jumbo16.countLimit());
        long inUse = mbuf.bytes() + packet.bytes()
                + packet.count() * cluster.size()
                + (cluster.count() - packet.count() - packet.free()) * cluster.size()
                + tag.bytes()
                + jumbop.count() * jumbop.size() + jumbo9.count() * jumbo9.size() + jumbo16.count() * jumbo16.size();
        long inCache = mbuf.free() * mbuf.size() + packet.free() * mbuf.size() + packet.free() * cluster.size()
                + cluster.free() * cluster.size() + jumbop.free() * jumbop.size()
                + jumbo9.free() * jumbo9.size() + jumbo16.free() * jumbo16.size();
        f.put("bytes-in-use", inUse);
        f.put("bytes-in-cache", inCache);
        f.put("bytes-total", inUse + inCache);
        f.put("mbuf-failures", mbuf.failures());
        f.put("cluster-failures", cluster.failures());
        f.put("packet-failures", packet.failures());
        f.put("mbuf-sleeps", mbuf.sleeps());
        f.put("cluster-sleeps", cluster.sleeps());
        f.put("packet-sleeps", packet.sleeps());
        f.put("jumbop-sleeps", jumbop.sleeps());
        f.put("jumbo9-sleeps", jumbo9.sleeps());
        f.put("jumbo16-sleeps", jumbo16.sleeps());
        f.put("jumbop-failures", jumbop.failures());
        f.put("jumbo9-failures", jumbo9.failures());
        f.put("jumbo16-failures", jumbo16.failures());
        return new MbufSummary(f);
    }

    private static MemoryType zone(MemoryTypeList list, String name) throws MissingTypeException {
        return list.find(Allocator.UMA, name)
                .orElseThrow(() -> new MissingTypeException("memstat_mtl_find: zone " + name + " not found"));
    }

    /**
     * One figure by its libxo key.
     *
     * @param key a key such as {@code mbuf-current}
     * @return the value (unsigned)
     * @throws IllegalArgumentException for an unknown key
     */
    public long get(String key) {
        Long v = figures.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no netstat -m figure " + key);
        }
        return v;
    }
}
