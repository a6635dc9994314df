/**
 * The sysctl registry of the JVM: a tree of named OIDs read like FreeBSD's {@code sysctlbyname(3)}, the writers of
 * FreeBSD's binary statistics streams ({@code vm.zone_stats}, {@code kern.malloc_stats}), the standard OIDs the
 * allocator exports, and a Unix domain socket server that lets other processes read the registry.
 *
 * <p>Data flow: the allocator implements {@link org.memstat.uma.sysctl.ZoneStatsProducer} and
 * {@link org.memstat.uma.sysctl.MallocStatsProducer}; {@link org.memstat.uma.sysctl.StandardOids} registers them on a
 * {@link org.memstat.uma.sysctl.Sysctl}; every read runs the producer, which pushes its zones into a
 * {@link org.memstat.uma.sysctl.ZoneStatsStream.Writer}, so a stream is always fresh and no snapshot objects are
 * built. {@link org.memstat.uma.sysctl.RegistryServer} serves the same registry to {@code memstat} and
 * {@code memstatd} (protocol: {@code docs/REGISTRY-PROTOCOL.md}).
 *
 * <p>Results are errno-style ({@link org.memstat.uma.sysctl.Errno}); a bad name or a bad value never throws.
 * Programming errors (registering a name twice, misusing a stream writer) throw.
 */
package org.memstat.uma.sysctl;
