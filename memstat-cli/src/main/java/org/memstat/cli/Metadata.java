package org.memstat.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code memstat.dump} file of a snapshot: {@code key=value} lines (Java properties syntax) with the format
 * version, the source, the capture time in ISO-8601 UTC, the memstat version and the OIDs saved.
 *
 * @param source   the source URI the snapshot came from
 * @param captured when the values were read
 * @param version  the memstat version that wrote it
 * @param oids     the OIDs saved
 */
record Metadata(String source, Instant captured, String version, Collection<String> oids) {
    /** The format version written in {@code format=}. */
    static final String FORMAT = "1";

    String text() {
        return "# memstat snapshot metadata (memstat dump)\n"
                + "format=" + FORMAT + "\n"
                + "source=" + escape(source) + "\n"
                + "captured=" + captured + "\n"
                + "memstat=" + escape(version) + "\n"
                + "oids=" + String.join(" ", oids) + "\n";
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '\n' || c == '\r' || c == '=' || c == ':' || c == '#' || c == '!') {
                sb.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\" + c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The capture time recorded in {@code dir}'s metadata, if there is a readable one.
     *
     * @param dir a snapshot directory
     * @return the time, or empty when the file is missing or has no valid {@code captured=}
     * @throws CliException (exit 5) if the file exists but cannot be read
     */
    static Optional<Instant> captured(Path dir) {
        Path f = dir.resolve(DirSource.METADATA);
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot read " + f + ": " + e.getMessage(), e);
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            String t = p.getProperty("captured");
            return t == null ? Optional.empty() : Optional.of(Instant.parse(t.trim()));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new CliException(ExitCode.DATAERROR, f + ": Data format error: bad captured= time", e);
        }
    }
}
