package org.memstat.uma.sysctl;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The second JVM of {@link SecondJvmRegistryTest}: registers a few OIDs (including a zone stream), serves them in
 * the directory given as the only argument, prints {@code READY <socket path>}, and exits when stdin closes.
 */
public final class RegistryChildMain {
    private RegistryChildMain() {
    }

    /**
     * Runs the child.
     *
     * @param args the directory for the socket
     * @throws Exception on any failure (the test then sees a non-zero exit)
     */
    public static void main(String[] args) throws Exception {
        Sysctl sysctl = new Sysctl();
        StandardOids.registerSmp(sysctl, 2);
        StandardOids.registerZoneStats(sysctl, new FakeProducers.Zones(2, ZoneStatsStreamTest.mixedZones(2)));
        long pid = ProcessHandle.current().pid();
        sysctl.addLong("kern.child.pid", "Process id of the serving JVM", () -> pid);
        sysctl.addString("kern.ostype", "Operating system type", () -> "memstat-child", null);
        try (RegistryServer server = RegistryServer.builder(sysctl, Path.of(args[0]).resolve("child.sock"))
                .start()) {
            System.out.println("READY " + server.socketPath());
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
        System.out.println("BYE");
    }
}
