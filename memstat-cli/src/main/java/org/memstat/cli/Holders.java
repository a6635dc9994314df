package org.memstat.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.memstat.lib.SampleFrame;
import org.memstat.lib.SampleProfile;
import org.memstat.lib.SampleSite;
import org.memstat.lib.ZoneSamples;

/**
 * Who holds a zone's memory: the sampled sites of every zone of one name, merged, ranked by their estimated bytes
 * in use ({@link SampleSite#inuse()}, Go's scaling), for {@code memstat holders}. Sites with nothing in use are
 * left out.
 *
 * <p>Text: a header line (the zone, its sampling rate, the estimated total in use), then per site a blank line,
 * {@code #RANK  BYTES (EXACT bytes)  ITEMS items  SHARE%} (plus the malloc type, and the rate the site was
 * sampled at when it is not the zone's rate now), and its first {@value #MAX_FRAMES} frames as a Java stack trace
 * prints them, {@code "    ... N more"} for the rest. Sizes are humanized as {@code top} humanizes them.
 */
final class Holders {
    private Holders() {
    }

    /** Frames shown per site in text; JSON has them all. */
    static final int MAX_FRAMES = 8;

    /**
     * One site with its estimate.
     *
     * @param site  the site
     * @param inuse its estimated objects and bytes in use
     */
    record Ranked(SampleSite site, SampleSite.Estimate inuse) {
    }

    /**
     * The merged zone.
     *
     * @param zone       the zone name
     * @param zones      how many zones of that name the profile has
     * @param rates      their sampling rates now, distinct, in stream order
     * @param totalBytes the estimated bytes in use over all sites
     * @param totalItems the estimated items in use over all sites
     * @param sites      the sites with something in use, the biggest first
     * @param allSites   every site, including those with nothing in use
     */
    record Report(String zone, int zones, List<Long> rates, long totalBytes, long totalItems, List<Ranked> sites,
            int allSites) {
        /** Sampling is off in every zone of the name and there is not a single site. */
        boolean samplingOff() {
            return allSites == 0 && rates.stream().allMatch(r -> r == 0);
        }
    }

    /**
     * Ranks the sites of every zone named {@code zone}.
     *
     * @param profile the samples
     * @param zone    the zone name; the profile must have at least one zone of that name
     * @return the report
     */
    static Report of(SampleProfile profile, String zone) {
        List<ZoneSamples> zones = profile.zones(zone);
        Set<Long> rates = new LinkedHashSet<>();
        List<Ranked> ranked = new ArrayList<>();
        int all = 0;
        long bytes = 0;
        long items = 0;
        for (ZoneSamples z : zones) {
            rates.add(z.rate());
            for (SampleSite s : z.sites()) {
                all++;
                SampleSite.Estimate e = s.inuse();
                if (e.bytes() == 0 && e.objects() == 0) {
                    continue;
                }
                ranked.add(new Ranked(s, e));
                bytes += e.bytes();
                items += e.objects();
            }
        }
        // Stable: equal sites keep stream order.
        ranked.sort(Comparator.comparingLong((Ranked r) -> r.inuse().bytes())
                .thenComparingLong(r -> r.inuse().objects()).reversed());
        return new Report(zone, zones.size(), List.copyOf(rates), bytes, items, List.copyOf(ranked), all);
    }

    /**
     * The text of {@code memstat holders}.
     *
     * @param r   the report
     * @param top how many sites to show
     * @param out where to append
     */
    static void text(Report r, int top, StringBuilder out) {
        if (r.samplingOff()) {
            out.append("zone ").append(r.zone()).append(": sampling is off (rate 0); set vm.uma.")
                    .append(nodeName(r.zone())).append(".sample_rate\n");
            return;
        }
        out.append("zone ").append(r.zone());
        if (r.zones() > 1) {
            out.append(" (").append(r.zones()).append(" zones)");
        }
        out.append(", sample rate ").append(rates(r.rates()))
                .append(r.rates().size() == 1 && r.rates().getFirst() == 1 ? " byte" : " bytes");
        if (r.sites().isEmpty()) {
            out.append(": no sampled allocations in use\n");
            return;
        }
        out.append(": ").append(size(r.totalBytes())).append(" in use in ").append(items(r.totalItems()))
                .append(r.sites().stream().allMatch(x -> x.site().rate() <= 1) ? " (exact: rate 1)" : " (estimated)")
                .append(", ").append(r.sites().size())
                .append(r.sites().size() == 1 ? " site\n" : " sites\n");
        int shown = Math.min(top, r.sites().size());
        long zoneRate = r.rates().size() == 1 ? r.rates().getFirst() : -1;
        for (int i = 0; i < shown; i++) {
            Ranked s = r.sites().get(i);
            out.append('\n').append('#').append(i + 1).append("  ").append(size(s.inuse().bytes())).append("  ")
                    .append(items(s.inuse().objects())).append("  ")
                    .append(share(s.inuse().bytes(), r.totalBytes()));
            if (!s.site().tag().isEmpty()) {
                out.append("  malloc type ").append(s.site().tag());
            }
            if (s.site().rate() != zoneRate) {
                out.append("  sampled at rate ").append(s.site().rate());
            }
            out.append('\n');
            List<SampleFrame> frames = s.site().frames();
            for (int f = 0; f < Math.min(MAX_FRAMES, frames.size()); f++) {
                out.append("    at ").append(frames.get(f)).append('\n');
            }
            if (frames.size() > MAX_FRAMES) {
                out.append("    ... ").append(frames.size() - MAX_FRAMES).append(" more\n");
            }
            if (frames.isEmpty()) {
                out.append("    (no frames)\n");
            }
        }
        if (shown < r.sites().size()) {
            long rest = 0;
            for (Ranked s : r.sites().subList(shown, r.sites().size())) {
                rest += s.inuse().bytes();
            }
            int more = r.sites().size() - shown;
            out.append("\n... ").append(more).append(more == 1 ? " more site: " : " more sites: ").append(size(rest))
                    .append(", ").append(share(rest, r.totalBytes())).append('\n');
        }
    }

    /**
     * The JSON document of {@code memstat holders --libxo json}: the same figures as the text, every frame.
     *
     * @param r   the report
     * @param top how many sites to list
     * @return the {@code holders} container
     */
    static Map<String, Object> json(Report r, int top) {
        Map<String, Object> c = Json.object();
        c.put("zone", r.zone());
        c.put("zones", Json.i(r.zones()));
        List<Object> rates = Json.array();
        for (long rate : r.rates()) {
            rates.add(Json.u(rate));
        }
        c.put("sample-rates", rates);
        c.put("sampling", r.samplingOff() ? "off" : "on");
        c.put("inuse-bytes", Json.i(r.totalBytes()));
        c.put("inuse-items", Json.i(r.totalItems()));
        c.put("sites-in-use", Json.i(r.sites().size()));
        List<Object> sites = Json.array();
        for (int i = 0; i < Math.min(top, r.sites().size()); i++) {
            Ranked s = r.sites().get(i);
            Map<String, Object> o = Json.object();
            o.put("rank", Json.i(i + 1));
            o.put("inuse-bytes", Json.i(s.inuse().bytes()));
            o.put("inuse-items", Json.i(s.inuse().objects()));
            o.put("share-percent", new Json.Num(percent(s.inuse().bytes(), r.totalBytes())));
            if (!s.site().tag().isEmpty()) {
                o.put("malloc-type", s.site().tag());
            }
            o.put("rate", Json.u(s.site().rate()));
            SampleSite.Estimate alloc = s.site().alloc();
            o.put("alloc-bytes", Json.i(alloc.bytes()));
            o.put("alloc-items", Json.i(alloc.objects()));
            o.put("oldest-nanos", Json.i(s.site().oldestNanos()));
            List<Object> frames = Json.array();
            for (SampleFrame f : s.site().frames()) {
                Map<String, Object> fo = Json.object();
                fo.put("class", f.className());
                fo.put("method", f.method());
                fo.put("file", f.file());
                fo.put("line", Json.i(f.line()));
                frames.add(fo);
            }
            o.put("frame", frames);
            sites.add(o);
        }
        c.put("site", sites);
        return c;
    }

    /**
     * The failure for a zone the profile does not name (exit 7).
     *
     * @param uri     the source
     * @param zone    the zone asked for
     * @param profile what the source has
     * @return the exception to end the command with
     */
    static CliException unknownZone(String uri, String zone, SampleProfile profile) {
        return new CliException(ExitCode.MISSING_TYPE, uri + ": no zone named '" + zone + "' in "
                + SampleProfile.OID + (profile.zones().isEmpty() ? " (the source has no sampled allocations: "
                + SampleProfile.OID + " absent)" : ""));
    }

    /**
     * The {@code vm.uma} node of the first zone of that name, as uma-core (FreeBSD's {@code zone_alloc_sysctl})
     * makes it: {@code .}, {@code /}, {@code \}, space, {@code -} and anything outside visible ASCII become
     * {@code _}.
     */
    static String nodeName(String zone) {
        StringBuilder sb = new StringBuilder(zone.length());
        for (int i = 0; i < zone.length(); i++) {
            char c = zone.charAt(i);
            sb.append(c < 0x21 || c > 0x7e || "./\\ -".indexOf(c) >= 0 ? '_' : c);
        }
        return sb.isEmpty() ? "_" : sb.toString();
    }

    private static String rates(List<Long> rates) {
        StringBuilder sb = new StringBuilder();
        for (long r : rates) {
            sb.append(sb.isEmpty() ? "" : ", ").append(Long.toUnsignedString(r));
        }
        return sb.toString();
    }

    /** {@code 7.7MB (8060928 bytes)}: humanized as {@code top} does, then exact. */
    static String size(long bytes) {
        return Humanize.format(bytes, true, false) + "B (" + bytes + " bytes)";
    }

    private static String items(long n) {
        return n + (n == 1 ? " item" : " items");
    }

    private static String share(long part, long total) {
        return percent(part, total) + "%";
    }

    private static String percent(long part, long total) {
        return String.format(Locale.ROOT, "%.1f", total == 0 ? 0.0 : part * 100.0 / total);
    }
}
