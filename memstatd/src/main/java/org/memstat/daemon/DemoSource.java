package org.memstat.daemon;

import java.io.IOException;
import java.nio.file.Path;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.demo.DemoWorkload;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidType;
import org.memstat.uma.sysctl.RegistryServer;
import org.memstat.uma.sysctl.Sysctl;

/** The embedded allocator under uma-core's demo workload, served as a source (the daemon's default). */
final class DemoSource {
    static final String CLUSTER_LIMIT_OID = "kern.ipc.nmbclusters";

    private DemoSource() {
    }

    /**
     * Starts the demo allocator and workload, and the registry socket when {@code registrySocket} is set.
     *
     * @throws IOException when the registry socket cannot be served (nothing is left running then)
     */
    static Source open(String name, int threads, Path registrySocket) throws IOException {
        Uma uma = DemoWorkload.newAllocator();
        DemoWorkload workload = DemoWorkload.create(uma);
        registerClusterLimit(uma);
        RegistryServer server;
        try {
            server = registrySocket == null ? null : RegistryServer.builder(uma.sysctl(), registrySocket).start();
        } catch (IOException | RuntimeException e) {
            uma.close();
            throw e;
        }
        workload.start(threads);
        AutoCloseable owned = () -> {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                workload.close();
                uma.close();
            }
        };
        return new Source(name, "demo", InProcess.reader(name, uma.sysctl()), InProcess.writer(uma.sysctl()), owned);
    }

    /**
     * Registers {@code kern.ipc.nmbclusters} as the writable limit of the demo's {@code mbuf_cluster} zone
     * (increase-only, as FreeBSD), unless uma-core's mbuf layer already registered it; it is what a
     * {@code sysctl -w} through the API can change.
     */
    static void registerClusterLimit(Uma uma) {
        Sysctl sysctl = uma.sysctl();
        if (sysctl.describe(CLUSTER_LIMIT_OID).isPresent()) {
            return;
        }
        Zone cluster = null;
        for (Zone z : uma.zones()) {
            if (z.name().equals("mbuf_cluster")) {
                cluster = z;
            }
        }
        if (cluster == null) {
            return;
        }
        Zone zone = cluster;
        sysctl.addInt(CLUSTER_LIMIT_OID, OidType.INT, "I", "Maximum number of mbuf clusters allowed", zone::getMax,
                v -> {
                    if (v < zone.getMax()) {
                        return Errno.EINVAL;
                    }
                    zone.setMax(v);
                    return Errno.OK;
                });
    }
}
