/**
 * The {@code memstat} command: FreeBSD's {@code vmstat -z}, {@code vmstat -m}, {@code netstat -m} and
 * {@code sysctl} over any memstat-lib source, plus {@code top}, {@code dump} and {@code diff}.
 *
 * <p>The entry point is {@link org.memstat.cli.Main}; everything else is package-private. Output formats follow
 * FreeBSD byte for byte where the reference ({@code freebsd-uma.md} §4, §5) and FreeBSD's sources define them;
 * {@code docs/CLI.md} lists every format, the exit codes and each deliberate difference.
 */
package org.memstat.cli;
