package org.memstat.daemon;

import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import org.memstat.uma.Reclaim;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.ZoneStats;

/**
 * The embedded-allocator demo: a few zones under a bursty workload, listed every interval in the shape of
 * {@code vmstat -z}. It is the README's main job until the daemon's HTTP side exists.
 *
 * <p>Usage: {@code DemoMain [seconds] [interval-seconds]}; 0 seconds runs until interrupted.
 */
public final class DemoMain {
    private DemoMain() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional run time and print interval in seconds
     * @throws InterruptedException if interrupted while waiting between rounds
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? parse(args[0]) : 0;
        long interval = args.length > 1 ? Math.max(1, parse(args[1])) : 2;
        PrintStream out = System.out;
        try (Uma uma = Uma.builder().kmemSize(256L << 20).console(line -> out.println("console: " + line)).build()) {
            Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, 255, Uma.ZONE_MAXBUCKET);
            Zone cluster = uma.zcreate("mbuf_cluster", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
            cluster.setMax(4096);
            cluster.setWarning("kern.ipc.nmbclusters limit reached");
            Zone packet = uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
            Zone sessions = uma.zcreate("demo_session", 600, null, null, null, null, Uma.ALIGN_CACHE, 0);
            Zone[] zones = {mbuf, cluster, packet, sessions};
            SplittableRandom rnd = new SplittableRandom(42);
            ArrayDeque<long[]> held = new ArrayDeque<>();
            long end = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
            long nextPrint = System.nanoTime();
            while (System.nanoTime() < end) {
                int burst = 100 + rnd.nextInt(2000);
                for (int i = 0; i < burst; i++) {
                    int zi = rnd.nextInt(zones.length);
                    long item = zones[zi].alloc(Uma.M_NOWAIT);
                    if (item != 0) {
                        zones[zi].segment(item).set(ValueLayout.JAVA_LONG, 0, i);
                        held.add(new long[] {zi, item});
                    }
                }
                while (held.size() > 6000 || (!held.isEmpty() && rnd.nextInt(3) == 0)) {
                    long[] h = held.poll();
                    zones[(int) h[0]].free(h[1]);
                }
                if (System.nanoTime() >= nextPrint) {
                    print(out, uma.zones());
                    nextPrint = System.nanoTime() + interval * 1_000_000_000L;
                    uma.reclaim(Reclaim.TRIM);
                }
                Thread.sleep(10);
            }
            for (long[] h; (h = held.poll()) != null; ) {
                zones[(int) h[0]].free(h[1]);
            }
        }
    }

    private static void print(PrintStream out, List<Zone> zones) {
        out.printf("%-19s %7s %7s %8s %8s %8s %4s %4s %4s%n", "ITEM", "SIZE", "LIMIT", "USED", "FREE", "REQ",
                "FAIL", "SLEEP", "XDOM");
        for (Zone z : zones.reversed()) {
            ZoneStats s = z.stats();
            long free = s.cacheFree() + s.zoneFree() + (s.secondary() ? 0 : s.kegFree());
            out.printf("%s:%" + Math.max(1, 26 - z.name().length()) + "d,%7d,%8d,%8d,%8d,%4d,%4d,%4d%n", z.name(),
                    s.size(), s.limit(), s.used(), free, s.totalAllocs(), s.fails(), s.sleeps(), s.xdomain());
        }
        out.println();
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            System.err.println("memstatd: not a number of seconds: " + s);
            System.exit(2);
            return 0;
        }
    }
}
