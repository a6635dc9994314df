package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R6: every proper prefix of every golden stream (0 .. N-1 bytes) is rejected with a typed error, VERSION below
 * the 16-byte header and DATAERROR otherwise, and the list stays exactly as it was.
 */
class TruncationTest {
    static List<GoldenStreams.Stream> streams() {
        return GoldenStreams.streams();
    }

    @ParameterizedTest
    @MethodSource("streams")
    void everyPrefixIsRejectedAndLeavesTheListUnchanged(GoldenStreams.Stream g) throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshAll(SysctlSource.parse("dir:" + GoldenStreams.dir(g.dir())));
        long before = Fingerprint.of(list);
        for (int n = 0; n < g.bytes().length; n++) {
            SysctlSource truncated = TestSources.goldenWith(g.dir(), g.oid(), Arrays.copyOf(g.bytes(), n));
            MemstatException e = catchThrowableOfType(MemstatException.class, () -> list.refreshAll(truncated));
            assertThat(e).as("prefix of %d bytes", n).isNotNull();
            assertThat(e.error()).as("prefix of %d bytes", n)
                    .isEqualTo(n < 16 ? MemstatError.VERSION : MemstatError.DATAERROR);
            assertThat(e.oid()).isEqualTo(g.oid());
            assertThat(Fingerprint.of(list)).as("list after a prefix of %d bytes", n).isEqualTo(before);
        }
    }
}
