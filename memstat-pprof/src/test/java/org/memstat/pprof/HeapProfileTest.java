package org.memstat.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memstat.pprof.Fixtures.APP;
import static org.memstat.pprof.Fixtures.CACHE;
import static org.memstat.pprof.Fixtures.CONN;
import static org.memstat.pprof.Fixtures.DB;
import static org.memstat.pprof.Fixtures.MBUF;
import static org.memstat.pprof.Fixtures.RATE;
import static org.memstat.pprof.Fixtures.TAKEN;
import static org.memstat.pprof.Fixtures.TAKEN_LATER;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.memstat.lib.SampleProfile;
import org.memstat.lib.SampleSite;
import org.memstat.pprof.proto.Function;
import org.memstat.pprof.proto.Label;
import org.memstat.pprof.proto.Line;
import org.memstat.pprof.proto.Location;
import org.memstat.pprof.proto.Mapping;
import org.memstat.pprof.proto.Profile;
import org.memstat.pprof.proto.Sample;
import org.memstat.pprof.proto.ValueType;

/** The profile.proto message HeapProfile writes, decoded back with the generated classes, field by field. */
class HeapProfileTest {

    static Profile decode(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return Profile.parseFrom(in);
        }
    }

    private static List<Long> values(SampleSite site) {
        return List.of(site.alloc().objects(), site.alloc().bytes(), site.inuse().objects(), site.inuse().bytes());
    }

    private static Label str(Profile p, String key, String value) {
        return Label.newBuilder().setKey(p.getStringTableList().indexOf(key))
                .setStr(p.getStringTableList().indexOf(value)).build();
    }

    private static Label num(Profile p, String key, long value) {
        return Label.newBuilder().setKey(p.getStringTableList().indexOf(key)).setNum(value).build();
    }

    @Test
    void shouldWriteEveryFieldOfOneSourcesHeapProfile() throws IOException {
        HeapProfile heap = HeapProfile.builder().add("app", APP, null);
        assertThat(heap.sampleCount()).isEqualTo(3);
        Profile p = decode(heap.toGzip());

        assertThat(p.getStringTableList()).containsExactly("", "alloc_objects", "count", "alloc_space", "bytes",
                "inuse_objects", "inuse_space", "space", "[memstat]", "zone", "source", "malloc_type",
                "org.example.ConnTable.open", "ConnTable.java", "org.example.Server.accept", "Server.java", "packet",
                "app", "org.example.Cache.put", "malloc-4096", "devbuf", "org.example.Main.main", "Main.java",
                "mbuf");
        assertThat(p.getSampleTypeList()).containsExactly(vt(1, 2), vt(3, 4), vt(5, 2), vt(6, 4));
        assertThat(p.getDefaultSampleType()).isEqualTo(6);
        assertThat(p.getPeriodType()).isEqualTo(vt(7, 4));
        assertThat(p.getPeriod()).as("the idle zone's rate 0 is skipped").isEqualTo(RATE);
        assertThat(p.getTimeNanos()).isEqualTo(TAKEN);
        assertThat(p.getDurationNanos()).isZero();
        assertThat(p.getDropFrames()).isZero();
        assertThat(p.getKeepFrames()).isZero();
        assertThat(p.getCommentCount()).isZero();
        assertThat(p.getDocUrl()).isZero();

        assertThat(p.getMappingList()).containsExactly(Mapping.newBuilder().setId(1).setFilename(8)
                .setHasFunctions(true).setHasFilenames(true).setHasLineNumbers(true).build());
        assertThat(p.getFunctionList()).containsExactly(
                fn(1, 12, 13), fn(2, 14, 15), fn(3, 18, 0), fn(4, 21, 22));
        assertThat(p.getLocationList()).containsExactly(
                loc(1, 1, 42), loc(2, 2, 17), loc(3, 3, 0), loc(4, 2, 99), loc(5, 4, 5));

        assertThat(p.getSampleList()).as("the empty site is left out").containsExactly(
                Sample.newBuilder().addAllLocationId(List.of(1L, 2L)).addAllValue(values(CONN))
                        .addLabel(str(p, "zone", "packet")).addLabel(str(p, "source", "app"))
                        .addLabel(num(p, "bytes", 256)).build(),
                Sample.newBuilder().addAllLocationId(List.of(3L, 2L)).addAllValue(values(CACHE))
                        .addLabel(str(p, "zone", "malloc-4096")).addLabel(str(p, "source", "app"))
                        .addLabel(str(p, "malloc_type", "devbuf")).addLabel(num(p, "bytes", 4096)).build(),
                Sample.newBuilder().addAllLocationId(List.of(4L, 5L)).addAllValue(List.of(100L, 25600L, 0L, 0L))
                        .addLabel(str(p, "zone", "mbuf")).addLabel(str(p, "source", "app"))
                        .addLabel(num(p, "bytes", 256)).build());
        assertThat(values(CONN)).as("scaled, not raw").containsExactly(20485L, 5244160L, 8194L, 2097664L);
        assertThat(values(MBUF)).as("rate 1: exact").containsExactly(100L, 25600L, 0L, 0L);
    }

    @Test
    void shouldAddNoSourceLabelForANullSource() throws IOException {
        Profile p = decode(HeapProfile.builder().add(null, APP, null).toGzip());
        assertThat(p.getStringTableList()).doesNotContain("app");
        long source = p.getStringTableList().indexOf("source");
        assertThat(p.getSampleList()).hasSize(3)
                .allSatisfy(s -> assertThat(s.getLabelList()).noneMatch(l -> l.getKey() == source));
    }

    @Test
    void shouldAddOnlyTheNamedZone() throws IOException {
        HeapProfile heap = HeapProfile.builder().add("app", APP, "malloc-4096");
        assertThat(heap.sampleCount()).isEqualTo(1);
        Profile p = decode(heap.toGzip());
        assertThat(p.getSample(0).getValueList()).isEqualTo(values(CACHE));
        assertThat(p.getFunctionCount()).isEqualTo(2);
        assertThat(p.getPeriod()).isEqualTo(RATE);

        HeapProfile none = HeapProfile.builder().add("app", APP, "no-such-zone");
        assertThat(none.sampleCount()).isZero();
        Profile q = decode(none.toGzip());
        assertThat(q.getSampleCount()).isZero();
        assertThat(q.getPeriod()).isZero();
        assertThat(q.getTimeNanos()).as("the read was still added").isEqualTo(TAKEN);
    }

    @Test
    void shouldShareFunctionsAndLocationsAcrossSourcesAndScaleEachSiteByItsOwnRate() throws IOException {
        HeapProfile heap = HeapProfile.builder().add("app", APP, null).add("db", DB, null);
        assertThat(heap.sampleCount()).isEqualTo(5);
        Profile p = decode(heap.toGzip());
        assertThat(p.getTimeNanos()).as("the newest read").isEqualTo(TAKEN_LATER);
        assertThat(p.getPeriod()).as("the first zone with a rate").isEqualTo(RATE);
        assertThat(p.getFunctionCount()).isEqualTo(4);
        assertThat(p.getLocationCount()).isEqualTo(5);

        Sample db = p.getSample(3);
        assertThat(db.getLocationIdList()).containsExactly(1L, 2L);
        assertThat(db.getLabelList()).contains(str(p, "source", "db"), str(p, "zone", "packet"));
        SampleSite dbSite = DB.zones().getFirst().sites().getFirst();
        assertThat(db.getValueList()).isEqualTo(values(dbSite))
                .isNotEqualTo(values(new SampleSite("", dbSite.frames(), RATE, 1, 256, 1, 256, 1)));
        assertThat(p.getSample(4).getValueList()).isEqualTo(values(CACHE));

        // Time is the newest whatever the order of the adds.
        Profile q = decode(HeapProfile.builder().add("db", DB, null).add("app", APP, null).toGzip());
        assertThat(q.getTimeNanos()).isEqualTo(TAKEN_LATER);
        assertThat(q.getPeriod()).isEqualTo(RATE * 2);
    }

    @Test
    void shouldGiveTheSameBytesForTheSameAdds() throws IOException {
        byte[] a = HeapProfile.builder().add("app", APP, null).add("db", DB, "packet").toGzip();
        byte[] b = HeapProfile.builder().add("app", APP, null).add("db", DB, "packet").toGzip();
        assertThat(a).isEqualTo(b);

        HeapProfile heap = HeapProfile.builder().add("app", APP, null).add("db", DB, "packet");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        heap.writeGzip(out);
        assertThat(out.toByteArray()).isEqualTo(a);
        assertThat(heap.toGzip()).as("writing does not consume the profile").isEqualTo(a);
    }

    @Test
    void shouldLeaveTheCallersStreamOpenAndTakeAddsAfterAWrite() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        HeapProfile heap = HeapProfile.builder().add("app", APP, "packet");
        heap.writeGzip(out);
        assertThat(closed[0]).isFalse();
        assertThat(decode(out.toByteArray()).getSampleCount()).isEqualTo(1);

        heap.add("app", APP, "mbuf");
        assertThat(heap.sampleCount()).isEqualTo(2);
        assertThat(decode(heap.toGzip()).getSampleCount()).isEqualTo(2);
    }

    @Test
    void shouldWriteAValidEmptyProfile() throws IOException {
        HeapProfile heap = HeapProfile.builder();
        assertThat(heap.sampleCount()).isZero();
        Profile p = decode(heap.toGzip());
        assertThat(p.getStringTable(0)).isEmpty();
        assertThat(p.getSampleTypeCount()).isEqualTo(4);
        assertThat(p.getSampleCount()).isZero();
        assertThat(p.getTimeNanos()).isZero();
        assertThat(p.getPeriod()).isZero();

        Profile none = decode(HeapProfile.builder().add(null, new SampleProfile(7, List.of()), null).toGzip());
        assertThat(none.getTimeNanos()).isEqualTo(7);
    }

    @Test
    void shouldRejectAnEmptySourceAndANullProfile() {
        assertThatThrownBy(() -> HeapProfile.builder().add("", APP, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass null");
        assertThatThrownBy(() -> HeapProfile.builder().add("app", null, null))
                .isInstanceOf(NullPointerException.class);
    }

    private static ValueType vt(long type, long unit) {
        return ValueType.newBuilder().setType(type).setUnit(unit).build();
    }

    private static Function fn(long id, long name, long file) {
        return Function.newBuilder().setId(id).setName(name).setSystemName(name).setFilename(file).build();
    }

    private static Location loc(long id, long function, long line) {
        return Location.newBuilder().setId(id).setMappingId(1)
                .addLine(Line.newBuilder().setFunctionId(function).setLine(line)).build();
    }
}
