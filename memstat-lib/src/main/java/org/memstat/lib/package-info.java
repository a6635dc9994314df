/**
 * libmemstat for Java: FreeBSD's {@code vm.zone_stats} and {@code kern.malloc_stats} statistics streams, read
 * into a {@link org.memstat.lib.MemoryTypeList} with libmemstat's fields, derivations, order and error codes
 * (reference {@code freebsd-uma.md} §1-§3).
 *
 * <pre>{@code
 * try (SysctlSource source = SysctlSource.parse("dir:/var/tmp/snap")) {   // or unix:PATH, http://HOST:PORT
 *     MemoryTypeList list = new MemoryTypeList();
 *     list.refreshUma(source);                                          // memstat_sysctl_uma
 *     for (MemoryType t : list) {                                       // vmstat -z order
 *         System.out.println(t.name() + " " + t.size() + " " + t.count() + " " + t.free());
 *     }
 * } catch (MemstatException e) {
 *     System.err.println("memstat_sysctl_uma: " + e.getMessage());      // one line, libmemstat's text first
 * }
 * }</pre>
 *
 * <p>Public types: {@link org.memstat.lib.MemoryTypeList}, {@link org.memstat.lib.MemoryType},
 * {@link org.memstat.lib.Allocator}, {@link org.memstat.lib.MemstatException} with
 * {@link org.memstat.lib.MemstatError}, {@link org.memstat.lib.MbufSummary} ({@code netstat -m}'s figures), and
 * {@link org.memstat.lib.SysctlSource} with {@link org.memstat.lib.SysctlException},
 * {@link org.memstat.lib.WritableSysctlSource} and {@link org.memstat.lib.SysctlEntry}. For memstat's own streams
 * (docs/PROFILES.md): the sampled allocation sites of {@code vm.zone_samples} as a
 * {@link org.memstat.lib.SampleProfile} of {@link org.memstat.lib.ZoneSamples}, {@link org.memstat.lib.SampleSite}
 * and {@link org.memstat.lib.SampleFrame}, and the peaks of {@code vm.zone_peaks} as
 * {@link org.memstat.lib.ZonePeaks} of {@link org.memstat.lib.ZonePeak} (both read as empty from a source without
 * them, such as a FreeBSD dump). Everything else (stream layouts, validation, the two-phase apply, the sources'
 * transports) is package-private.
 *
 * <p>Deliberate differences from libmemstat, all stricter: complete validation before any record is used, exact
 * stream lengths, {@code maxcpus} in 1..4096, NUL-terminated names, byte order from the version word, at most 8
 * reads of a stream that keeps changing size, an empty value rejected as VERSION, and all-or-nothing refreshes.
 * Per-CPU arrays are sized from the stream header, not from {@code kern.smp.maxid}, so a header that disagrees
 * with the scalar cannot overrun them.
 */
package org.memstat.lib;
