package org.memstat.pprof;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.memstat.lib.SampleFrame;
import org.memstat.lib.SampleProfile;
import org.memstat.lib.SampleSite;
import org.memstat.lib.ZoneSamples;
import org.memstat.pprof.proto.Function;
import org.memstat.pprof.proto.Label;
import org.memstat.pprof.proto.Line;
import org.memstat.pprof.proto.Location;
import org.memstat.pprof.proto.Mapping;
import org.memstat.pprof.proto.Profile;
import org.memstat.pprof.proto.Sample;
import org.memstat.pprof.proto.ValueType;

/**
 * Builds one pprof heap profile from one or more sources' samples.
 *
 * <p>Start with {@link #builder()}, {@link #add} each source's {@link SampleProfile}, then write the gzipped
 * {@code profile.proto} bytes ({@link #writeGzip}, {@link #toGzip}) for {@code go tool pprof}. The profile has
 * what Go's heap profile has:
 * <ul>
 *   <li>sample types {@code alloc_objects/count}, {@code alloc_space/bytes}, {@code inuse_objects/count},
 *       {@code inuse_space/bytes}, in that order, {@code inuse_space} the default;</li>
 *   <li>one sample per site, its values {@link SampleSite#alloc()} and {@link SampleSite#inuse()}: each site is
 *       scaled by its own rate, whatever the profile's period says; a site whose four values are all 0 is left
 *       out;</li>
 *   <li>string labels {@code zone} (always), {@code source} (when given) and {@code malloc_type} (when the site
 *       has a tag), and the numeric label {@code bytes}, the zone's item size (Go gives the object size);</li>
 *   <li>period type {@code space/bytes}; the period is the rate of the first zone added whose rate is above 0
 *       (0 if none was), informational only;</li>
 *   <li>{@code time_nanos}, the newest {@link SampleProfile#takenNanos()} added.</li>
 * </ul>
 *
 * <p>Frames become one {@code Function} per distinct (class + "." + method, file) and one {@code Location} per
 * distinct (function, line), numbered from 1 in the order they are first seen, so the same adds give the same
 * bytes. Every location belongs to one synthetic mapping ({@code [memstat]}) that says functions, file names and
 * line numbers are already there: without it pprof prints "Main binary filename not available" and treats the
 * locations as unsymbolized.
 *
 * <p>Not thread-safe: one thread builds a profile. Writing does not consume it; adds after a write go into the
 * next write.
 */
public final class HeapProfile {
    /** The only mapping's id. */
    private static final long MAPPING_ID = 1;

    private final Profile.Builder proto = Profile.newBuilder();
    private final Map<String, Long> strings = new HashMap<>();
    private final Map<FunctionKey, Long> functions = new HashMap<>();
    private final Map<LocationKey, Long> locations = new HashMap<>();
    private final long zoneKey;
    private final long sourceKey;
    private final long mallocTypeKey;
    private final long bytesKey;
    private long period;
    private long timeNanos;
    private boolean timeSet;

    private HeapProfile() {
        intern("");
        proto.addSampleType(valueType("alloc_objects", "count"))
                .addSampleType(valueType("alloc_space", "bytes"))
                .addSampleType(valueType("inuse_objects", "count"))
                .addSampleType(valueType("inuse_space", "bytes"))
                .setDefaultSampleType(intern("inuse_space"))
                .setPeriodType(valueType("space", "bytes"));
        proto.addMapping(Mapping.newBuilder()
                .setId(MAPPING_ID)
                .setFilename(intern("[memstat]"))
                .setHasFunctions(true)
                .setHasFilenames(true)
                .setHasLineNumbers(true));
        zoneKey = intern("zone");
        sourceKey = intern("source");
        mallocTypeKey = intern("malloc_type");
        bytesKey = intern("bytes");
    }

    /**
     * An empty profile to add sources to; the only way to make one.
     *
     * @return a new, empty profile
     */
    public static HeapProfile builder() {
        return new HeapProfile();
    }

    /**
     * Adds a source's zones.
     *
     * @param source  the value of every added sample's {@code source} label, or {@code null} to add no
     *                {@code source} label (one source served); not empty
     * @param profile the source's samples
     * @param zone    {@code null} for every zone, else only the zones of that name
     * @return this
     * @throws IllegalArgumentException if {@code source} is empty
     */
    public HeapProfile add(String source, SampleProfile profile, String zone) {
        Objects.requireNonNull(profile, "profile");
        if (source != null && source.isEmpty()) {
            throw new IllegalArgumentException("source label is empty: pass null for no source label");
        }
        if (!timeSet || profile.takenNanos() > timeNanos) {
            timeNanos = profile.takenNanos();
            timeSet = true;
        }
        for (ZoneSamples z : profile.zones()) {
            if (zone != null && !zone.equals(z.zone())) {
                continue;
            }
            if (period == 0 && z.rate() > 0) {
                period = z.rate();
            }
            for (SampleSite site : z.sites()) {
                addSite(source, z, site);
            }
        }
        return this;
    }

    private void addSite(String source, ZoneSamples zone, SampleSite site) {
        SampleSite.Estimate alloc = site.alloc();
        SampleSite.Estimate inuse = site.inuse();
        if (alloc.objects() == 0 && alloc.bytes() == 0 && inuse.objects() == 0 && inuse.bytes() == 0) {
            return;
        }
        Sample.Builder sample = Sample.newBuilder()
                .addValue(alloc.objects())
                .addValue(alloc.bytes())
                .addValue(inuse.objects())
                .addValue(inuse.bytes());
        for (SampleFrame frame : site.frames()) {
            sample.addLocationId(location(frame));
        }
        sample.addLabel(Label.newBuilder().setKey(zoneKey).setStr(intern(zone.zone())));
        if (source != null) {
            sample.addLabel(Label.newBuilder().setKey(sourceKey).setStr(intern(source)));
        }
        if (!site.tag().isEmpty()) {
            sample.addLabel(Label.newBuilder().setKey(mallocTypeKey).setStr(intern(site.tag())));
        }
        sample.addLabel(Label.newBuilder().setKey(bytesKey).setNum(zone.itemSize()));
        proto.addSample(sample);
    }

    private long location(SampleFrame frame) {
        long function = function(frame);
        long line = Math.max(frame.line(), 0);
        return locations.computeIfAbsent(new LocationKey(function, line), k -> {
            long id = proto.getLocationCount() + 1;
            proto.addLocation(Location.newBuilder()
                    .setId(id)
                    .setMappingId(MAPPING_ID)
                    .addLine(Line.newBuilder().setFunctionId(k.function()).setLine(k.line())));
            return id;
        });
    }

    private long function(SampleFrame frame) {
        String name = frame.className() + "." + frame.method();
        return functions.computeIfAbsent(new FunctionKey(name, frame.file()), k -> {
            long id = proto.getFunctionCount() + 1;
            long nameIndex = intern(k.name());
            proto.addFunction(Function.newBuilder()
                    .setId(id)
                    .setName(nameIndex)
                    .setSystemName(nameIndex)
                    .setFilename(intern(k.file())));
            return id;
        });
    }

    /**
     * Number of samples (sites) added so far, the all-zero sites left out.
     *
     * @return the samples the profile holds
     */
    public int sampleCount() {
        return proto.getSampleCount();
    }

    /**
     * Writes the gzipped {@code profile.proto} bytes. {@code out} is left open.
     *
     * @param out where to write
     * @throws IOException if {@code out} fails
     */
    public void writeGzip(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        Profile profile = proto.setPeriod(period).setTimeNanos(timeNanos).build();
        try (GZIPOutputStream gz = new GZIPOutputStream(new Unclosed(out), 64 * 1024)) {
            profile.writeTo(gz);
        }
    }

    /**
     * Convenience: the gzipped bytes, as {@link #writeGzip} writes them.
     *
     * @return the gzipped {@code profile.proto} bytes
     */
    public byte[] toGzip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeGzip(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** The string's index in the table, adding it at the end if it is new ("" is 0). */
    private long intern(String s) {
        return strings.computeIfAbsent(s, k -> {
            proto.addStringTable(k);
            return (long) proto.getStringTableCount() - 1;
        });
    }

    private ValueType valueType(String type, String unit) {
        return ValueType.newBuilder().setType(intern(type)).setUnit(intern(unit)).build();
    }

    private record FunctionKey(String name, String file) {
    }

    private record LocationKey(long function, long line) {
    }

    /** Passes bytes through in bulk; close only flushes, so the caller's stream stays open. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
