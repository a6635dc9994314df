package org.memstat.uma.sysctl;

import java.util.List;
import org.memstat.uma.sysctl.GoldenStreams.MallocType;
import org.memstat.uma.sysctl.GoldenStreams.Zone;

/** Test producers that push fixed zones and malloc types, as the allocator will push live ones. */
final class FakeProducers {
    private FakeProducers() {
    }

    record Zones(int maxCpus, List<Zone> zones) implements ZoneStatsProducer {
        @Override
        public int zoneCount() {
            return zones.size();
        }

        @Override
        public void writeTo(ZoneStatsStream.Writer w) {
            w.begin(maxCpus, zones.size());
            for (Zone z : zones) {
                w.zone(z.name(), (int) z.align(), (int) z.size(), (int) z.rsize(), z.maxPages(), z.limit(),
                        z.pages(), z.kegFree(), z.zoneFree(), z.flags() == 1, z.allocs(), z.frees(), z.fails(),
                        z.sleeps(), z.xdomain());
                int c = 0;
                for (; c < maxCpus && z.cpus().get(c) != null; c++) {
                    long[] v = z.cpus().get(c);
                    w.cpu(v[0], v[1], v[2]);
                }
                if (c < maxCpus) {
                    w.zeroCpus();
                }
            }
        }
    }

    record Malloc(int maxCpus, List<MallocType> types) implements MallocStatsProducer {
        @Override
        public int typeCount() {
            return types.size();
        }

        @Override
        public void writeTo(MallocStatsStream.Writer w) {
            w.begin(maxCpus);
            for (MallocType t : types) {
                w.type(t.name());
                int c = 0;
                for (; c < maxCpus && t.cpus().get(c) != null; c++) {
                    long[] v = t.cpus().get(c);
                    w.cpu(v[0], v[1], v[2], v[3], v[4]);
                }
                if (c < maxCpus) {
                    w.zeroCpus();
                }
            }
        }
    }
}
