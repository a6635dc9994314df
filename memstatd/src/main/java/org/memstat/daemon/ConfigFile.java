package org.memstat.daemon;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Merges {@link Main}'s flags with the optional {@code --config} properties file (flags win) into a
 * {@link DaemonConfig}. Keys are the long option names without dashes; {@code sources} is a comma-separated list
 * of {@code [NAME=]URI}. An unknown key is an error, so a typo does not silently fall back to a default.
 */
final class ConfigFile {
    static final Set<String> KEYS = Set.of("sources", "listen", "include", "exclude", "percpu", "scrape-timeout",
            "write-token-file", "registry-socket", "demo-threads", "max-connections", "idle-timeout",
            "request-timeout", "stop-timeout");

    private ConfigFile() {
    }

    static DaemonConfig merge(Main m, String envToken) throws IOException {
        Properties p = new Properties();
        if (m.config != null) {
            try (Reader r = Files.newBufferedReader(m.config)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + m.config + ": " + e.getMessage());
            }
            for (String k : p.stringPropertyNames()) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException("unknown key '" + k + "' in " + m.config + " (known: "
                            + String.join(", ", KEYS.stream().sorted().toList()) + ")");
                }
            }
        }
        DaemonConfig d = DaemonConfig.defaults();
        List<SourceSpec> sources = new ArrayList<>();
        if (!m.sources.isEmpty()) {
            m.sources.forEach(s -> sources.add(SourceSpec.parse(s)));
        } else if (p.getProperty("sources") != null) {
            for (String s : p.getProperty("sources").split(",")) {
                if (!s.isBlank()) {
                    sources.add(SourceSpec.parse(s));
                }
            }
        }
        String listen = pick(m.listen, p, "listen", d.host() + ":" + d.port());
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, not '" + listen + "'");
        }
        String host = listen.substring(0, colon).replaceAll("^\\[|\\]$", "");
        int port = integer("listen port", listen.substring(colon + 1));
        Path tokenFile = m.writeTokenFile != null ? m.writeTokenFile
                : p.getProperty("write-token-file") != null ? Path.of(p.getProperty("write-token-file")) : null;
        String token = tokenFile != null ? Main.readToken(tokenFile)
                : envToken != null && !envToken.isBlank() ? envToken.strip() : null;
        Path socket = m.registrySocket != null ? m.registrySocket
                : p.getProperty("registry-socket") != null ? Path.of(p.getProperty("registry-socket")) : null;
        boolean percpu = m.percpu != null ? m.percpu : Boolean.parseBoolean(p.getProperty("percpu", "false"));
        return new DaemonConfig(host, port, sources,
                new ZoneFilter(regex("include", pick(m.include, p, "include", null)),
                        regex("exclude", pick(m.exclude, p, "exclude", null))),
                duration("scrape-timeout", pick(m.scrapeTimeout, p, "scrape-timeout", null), d.scrapeTimeout()),
                percpu, token, socket,
                positive("demo-threads", m.demoThreads, p, d.demoThreads()),
                positive("max-connections", m.maxConnections, p, d.maxConnections()),
                duration("idle-timeout", pick(m.idleTimeout, p, "idle-timeout", null), d.idleTimeout()),
                duration("request-timeout", pick(m.requestTimeout, p, "request-timeout", null), d.requestTimeout()),
                duration("stop-timeout", pick(m.stopTimeout, p, "stop-timeout", null), d.stopTimeout()));
    }

    private static String pick(String flag, Properties p, String key, String dflt) {
        return flag != null ? flag : p.getProperty(key, dflt);
    }

    private static Pattern regex(String what, String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--" + what + ": bad regex: " + e.getDescription() + " in " + s);
        }
    }

    private static int integer(String what, String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number: " + s);
        }
    }

    private static int positive(String key, Integer flag, Properties p, int dflt) {
        int v = flag != null ? flag : p.getProperty(key) != null ? integer(key, p.getProperty(key)) : dflt;
        if (v < 1) {
            throw new IllegalArgumentException("--" + key + " must be at least 1: " + v);
        }
        return v;
    }

    /** {@code 2s}, {@code 500ms}, {@code 1m} or a plain number of seconds. */
    static Duration duration(String key, String s, Duration dflt) {
        if (s == null) {
            return dflt;
        }
        String v = s.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
            }
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " wants a positive duration like 2s or 500ms, not " + s);
        }
    }
}
