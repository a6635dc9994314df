package org.memstat.uma;

import java.util.IdentityHashMap;
import java.util.Map;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidType;
import org.memstat.uma.sysctl.Sysctl;

/**
 * The per-zone tree {@code vm.uma.<zone>} (FreeBSD's {@code zone_alloc_sysctl}): made when a zone is created,
 * removed when it is destroyed. It holds {@code sample_rate} today (docs/PROFILES.md).
 *
 * <p>Names are made as {@code zone_alloc_sysctl} makes them (sys/vm/uma_core.c, FreeBSD main, read 2026-12):
 * the zone's name, with {@code _N} appended when {@code N} live zones already have that name, then every
 * {@code .}, {@code /}, {@code \}, space and {@code -} replaced by {@code _}. Two additions, because an OID
 * name here must be visible ASCII and unique: any other character outside {@code 0x21-0x7e} becomes {@code _}
 * too, and a name still taken (FreeBSD would fail to add the node) gets the next free {@code _N}.
 */
final class ZoneSysctl {
    private static final String ROOT = "vm.uma";

    private final Sysctl sysctl;
    /** Live zones and their node names; guarded by this. */
    private final Map<Zone, String> nodes = new IdentityHashMap<>();

    ZoneSysctl(Sysctl sysctl) {
        this.sysctl = sysctl;
        sysctl.addNode(ROOT, "Universal Memory Allocator");
    }

    synchronized void add(Zone z) {
        String name = nodeName(z.name);
        String node = ROOT + "." + name;
        ZoneSampler s = z.sampler;
        sysctl.addLong(node + ".sample_rate", OidType.ULONG, "LU",
                "Sampling rate in bytes: one allocation sampled per this many bytes on average; 0 off, 1 every one",
                s::rate, v -> {
                    if (v < 0 || v > ZoneSampler.MAX_RATE) {
                        return Errno.EINVAL;
                    }
                    s.setRate(v);
                    return Errno.OK;
                });
        nodes.put(z, name);
    }

    synchronized void remove(Zone z) {
        String name = nodes.remove(z);
        if (name != null) {
            sysctl.remove(ROOT + "." + name);
        }
    }

    /** The node name a new zone named {@code zoneName} gets. Caller holds the monitor. */
    private String nodeName(String zoneName) {
        int same = 0;
        for (Zone other : nodes.keySet()) {
            if (other.name.equals(zoneName)) {
                same++;
            }
        }
        String base = sanitize(same == 0 ? zoneName : zoneName + "_" + same);
        String name = base;
        for (int n = 1; nodes.containsValue(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }

    static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x21 || c > 0x7e || "./\\ -".indexOf(c) >= 0 ? '_' : c);
        }
        // Bounded so that "vm.uma.NAME.sample_rate" stays within the registry's name limit.
        return sb.isEmpty() ? "_" : sb.length() > 255 ? sb.substring(0, 255) : sb.toString();
    }
}
