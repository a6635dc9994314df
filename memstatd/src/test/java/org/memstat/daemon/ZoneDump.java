package org.memstat.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;

/**
 * A registry with many zones (for the render timing test and the load test): {@code zones} zones of 64-4096
 * bytes with a few items each. {@link #main} writes it as a {@code dir:} snapshot.
 */
final class ZoneDump {
    static final List<String> OIDS = List.of("kern.smp.maxid", "kern.smp.maxcpus", "vm.zone_count", "vm.zone_stats");

    private ZoneDump() {
    }

    /** Builds the allocator; the caller closes it. */
    static Uma manyZones(int zones) {
        Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(Fixtures.CPUS).console(l -> { }).build();
        for (int i = 0; i < zones; i++) {
            Zone z = uma.zcreate(String.format("zone_%04d", i), 64 << (i % 7), null, null, null, null,
                    Uma.ALIGN_PTR, 0);
            for (int k = 0; k < 1 + i % 5; k++) {
                z.alloc(Uma.M_NOWAIT);
            }
        }
        return uma;
    }

    /** The raw values a refresh reads, as a {@code dir:} snapshot would hold them. */
    static Map<String, byte[]> snapshot(Uma uma) throws SysctlException {
        SysctlSource s = InProcess.reader("dump", uma.sysctl());
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (String oid : OIDS) {
            values.put(oid, s.read(oid));
        }
        return values;
    }

    /**
     * Writes a {@code dir:} snapshot of a many-zone registry.
     *
     * @param args output directory, zone count (default 1000)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int zones = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Files.createDirectories(dir);
        try (Uma uma = manyZones(zones)) {
            for (Map.Entry<String, byte[]> e : snapshot(uma).entrySet()) {
                write(dir.resolve(e.getKey()), e.getValue());
            }
        }
        System.out.println("wrote " + zones + " zones to " + dir);
    }

    private static void write(Path p, byte[] v) throws IOException {
        Files.write(p, v);
    }
}
