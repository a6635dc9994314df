package org.memstat.daemon;

import java.util.List;

/** The landing page at {@code /}: what this daemon serves, with links. */
final class Landing {
    private Landing() {
    }

    static String html(List<Source> sources) {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>memstatd</title></head><body>\n")
                .append("<h1>memstatd</h1>\n<p>UMA zone, malloc(9) and mbuf statistics of ")
                .append(sources.size()).append(sources.size() == 1 ? " source" : " sources").append(".</p>\n<ul>\n")
                .append("<li><a href=\"/metrics\">/metrics</a> (Prometheus; <a href=\"/metrics?percpu=1\">per CPU</a>)")
                .append("</li>\n<li><a href=\"/api/v1/sources\">/api/v1/sources</a></li>\n")
                .append("<li><a href=\"/healthz\">/healthz</a></li>\n</ul>\n<h2>Sources</h2>\n<ul>\n");
        for (Source s : sources) {
            String q = "?source=" + urlEncode(s.name());
            sb.append("<li>").append(escape(s.name())).append(" (").append(escape(s.uri())).append("): ")
                    .append(link("/api/v1/zones" + q, "zones")).append(", ")
                    .append(link("/api/v1/malloc" + q, "malloc")).append(", ")
                    .append(link("/api/v1/mbuf" + q, "mbuf")).append(", ")
                    .append(link("/api/v1/rates" + q, "rates")).append(", ")
                    .append(link("/api/v1/sysctl/vm.zone_stats" + q, "vm.zone_stats (raw)")).append("</li>\n");
        }
        return sb.append("</ul>\n<p>API reference: docs/API.md in the memstat repository.</p>\n</body></html>\n")
                .toString();
    }

    private static String link(String href, String text) {
        return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
