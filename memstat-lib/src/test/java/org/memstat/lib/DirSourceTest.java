package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.StreamEncoder.Zone;

/** The {@code dir:} snapshot source: file formats, byte order, derived scalars, errors. */
class DirSourceTest {
    @TempDir
    Path dir;

    private SysctlSource source() {
        return SysctlSource.parse("dir:" + dir);
    }

    private void write(String oid, String text) throws IOException {
        Files.writeString(dir.resolve(oid), text, StandardCharsets.US_ASCII);
    }

    private void write(String oid, byte[] bytes) throws IOException {
        Files.write(dir.resolve(oid), bytes);
    }

    private SysctlException failure(String oid) {
        return catchThrowableOfType(SysctlException.class, () -> source().readInt(oid));
    }

    @Test
    void decimalTextScalarsWithOrWithoutNewline() throws Exception {
        write("kern.smp.maxid", "63\n");
        write("vm.zone_count", "  7 ");
        write("a.uint", "4294967295");
        write("a.negative", "-1\r\n");
        SysctlSource s = source();
        assertThat(List.of(s.readInt("kern.smp.maxid"), s.readInt("vm.zone_count"), s.readInt("a.uint"),
                s.readInt("a.negative"))).containsExactly(63, 7, -1, -1);
    }

    @Test
    void textBeyond32BitsIsALongAndNotAnInt() throws Exception {
        write("vm.kmem_size", "8589934592\n");
        assertThat(ByteBuffer.wrap(source().read("vm.kmem_size")).order(LITTLE_ENDIAN).getLong())
                .isEqualTo(8589934592L);
        assertThat(failure("vm.kmem_size").errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void malformedTextIsInvalid() throws Exception {
        write("kern.smp.maxid", "1-2");
        assertThat(failure("kern.smp.maxid").errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void rawIntsFollowTheStreamsByteOrder() throws Exception {
        write("kern.smp.maxid", StreamEncoder.ints(BIG_ENDIAN, 3));
        write("kern.smp.maxcpus", "4");
        assertThat(source().readInt("kern.smp.maxid")).as("no stream: little-endian").isEqualTo(0x0300_0000);
        write("vm.zone_stats", StreamEncoder.uma(BIG_ENDIAN, 4, List.of(new Zone("a"))));
        assertThat(source().readInt("kern.smp.maxid")).isEqualTo(3);
        assertThat(source().read("kern.smp.maxcpus")).containsExactly(StreamEncoder.ints(BIG_ENDIAN, 4));
    }

    @Test
    void rawLongsAreReturnedAsTheyAre() throws Exception {
        byte[] raw = ByteBuffer.allocate(8).order(LITTLE_ENDIAN).putLong(1L << 40).array();
        write("vm.kmem_size", raw);
        assertThat(source().read("vm.kmem_size")).containsExactly(raw);
    }

    @Test
    void missingScalarsAreDerivedFromTheStreamHeaders() throws Exception {
        Path golden = GoldenStreams.dir("le-64cpu");
        SysctlSource s = SysctlSource.parse("dir:" + golden);
        assertThat(List.of(s.readInt("kern.smp.maxid"), s.readInt("vm.zone_count"), s.readInt("kern.smp.maxcpus"),
                s.readInt("kern.malloc_count"), s.readInt("vm.malloc.zone_count"))).containsExactly(63, 2, 64, 1, 14);
        assertThat(s.read("vm.malloc.zone_sizes")).containsExactly(StreamEncoder.ints(LITTLE_ENDIAN,
                16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536));
    }

    @Test
    void zoneSizesAsTextFeedTheMallocTable() throws Exception {
        Files.copy(GoldenStreams.dir("le-2cpu").resolve("kern.malloc_stats"), dir.resolve("kern.malloc_stats"));
        write("vm.malloc.zone_count", "3\n");
        write("vm.malloc.zone_sizes", "16 32\t48\n");
        MemoryTypeList list = new MemoryTypeList();
        list.refreshMalloc(source());
        assertThat(List.of(list.mallocZoneCount(), (int) list.mallocZoneSize(2), (int) list.mallocZoneSize(3)))
                .containsExactly(3, 48, 0);
    }

    @Test
    void scalarThatCannotBeDerivedIsMissing() throws Exception {
        SysctlException e = failure("kern.smp.maxid");
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
        assertThat(e.getMessage()).contains("no vm.zone_stats to derive it from");
        write("vm.zone_stats", new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        assertThat(failure("kern.smp.maxid").getMessage()).contains("is not valid to derive it from");
        assertThat(failure("no.such.oid").errno()).isEqualTo(Errno.ENOENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", ".hidden", "", "a\\b"})
    void namesThatWouldLeaveTheDirectoryAreNotOids(String oid) {
        assertThat(catchThrowableOfType(SysctlException.class, () -> source().read(oid)).errno())
                .isEqualTo(Errno.ENOENT);
    }

    @Test
    void unreadableFileIsAccessDenied() throws Exception {
        write("vm.zone_stats", new byte[16]);
        Path p = dir.resolve("vm.zone_stats");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(p), "running as a user who can read anything (root)");
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> source().read("vm.zone_stats"));
        assertThat(e.errno()).isEqualTo(Errno.EACCES);
        MemoryTypeList list = new MemoryTypeList();
        MemstatException m = catchThrowableOfType(MemstatException.class, () -> list.refreshUma(source()));
        assertThat(m.error()).isEqualTo(MemstatError.PERMISSION);
    }

    @Test
    void directoryNamedLikeAnOidIsAnIoError() throws Exception {
        Files.createDirectory(dir.resolve("vm.zone_stats"));
        assertThat(catchThrowableOfType(SysctlException.class, () -> source().read("vm.zone_stats")).errno())
                .isEqualTo(Errno.EIO);
    }

    @Test
    void uriNamesTheDirectory() {
        assertThat(source().uri()).isEqualTo("dir:" + dir);
    }
}
