package org.memstat.lib;

/**
 * A plain text rendering of decoded profiles and peaks, one fact per line, for the golden {@code .txt} files:
 * every field, the scaled estimates, and each frame as a stack trace prints it.
 */
final class ProfileText {
    private ProfileText() {
    }

    static String render(SampleProfile p) {
        StringBuilder sb = new StringBuilder();
        sb.append("vm.zone_samples taken ").append(p.takenNanos()).append(" zones ").append(p.zones().size())
                .append(" empty ").append(p.isEmpty()).append('\n');
        for (ZoneSamples z : p.zones()) {
            sb.append("zone \"").append(z.zone()).append("\" rate ").append(z.rate()).append(" size ")
                    .append(z.itemSize()).append(" sites ").append(z.sites().size()).append('\n');
            for (SampleSite s : z.sites()) {
                sb.append("  site tag \"").append(s.tag()).append("\" rate ").append(s.rate())
                        .append(" alloc ").append(s.allocObjects()).append('/').append(s.allocBytes())
                        .append(" inuse ").append(s.inuseObjects()).append('/').append(s.inuseBytes())
                        .append(" oldest ").append(s.oldestNanos()).append(" depth ").append(s.frames().size())
                        .append('\n');
                sb.append("    estimate alloc ").append(s.alloc().objects()).append('/').append(s.alloc().bytes())
                        .append(" inuse ").append(s.inuse().objects()).append('/').append(s.inuse().bytes())
                        .append('\n');
                for (SampleFrame f : s.frames()) {
                    sb.append("    at ").append(f).append(" [file \"").append(f.file()).append("\" line ")
                            .append(f.line()).append("]\n");
                }
            }
        }
        return sb.toString();
    }

    static String render(ZonePeaks p) {
        StringBuilder sb = new StringBuilder();
        sb.append("vm.zone_peaks pages_peak ").append(p.pagesPeakBytes()).append(" pages ").append(p.pagesBytes())
                .append(" zones ").append(p.zones().size()).append('\n');
        for (ZonePeak z : p.zones()) {
            sb.append("zone \"").append(z.zone()).append("\" keg_pages_peak ").append(z.kegPagesPeakBytes())
                    .append(" used_peak ").append(z.usedPeakItems()).append('\n');
        }
        return sb.toString();
    }
}
