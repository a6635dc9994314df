package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every proper prefix of every golden profile stream (0 .. N-1 bytes) is rejected with a {@link MemstatException}
 * and never another exception: VERSION below the 24-byte header, DATAERROR from there on.
 */
class ProfileTruncationTest {
    /** Decodes {@code b} as the stream named by the golden file {@code name}. */
    static void decode(String name, byte[] b) throws MemstatException {
        if (name.startsWith("zone_samples")) {
            SampleProfile.decode(b);
        } else {
            ZonePeaks.decode(b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zone_samples.le.bin", "zone_samples.be.bin", "zone_peaks.le.bin", "zone_peaks.be.bin"})
    void everyPrefixIsRejectedWithAMemstatException(String name) throws MemstatException {
        byte[] golden = ProfileGoldens.read(name);
        decode(name, golden);
        for (int n = 0; n < golden.length; n++) {
            byte[] prefix = Arrays.copyOf(golden, n);
            Throwable t = catchThrowable(() -> decode(name, prefix));
            assertThat(t).as("prefix of %d bytes", n).isInstanceOf(MemstatException.class);
            MemstatException e = (MemstatException) t;
            assertThat(e.error()).as("prefix of %d bytes: %s", n, e.getMessage())
                    .isEqualTo(n < 24 ? MemstatError.VERSION : MemstatError.DATAERROR);
            assertThat(e.offset()).as("prefix of %d bytes: %s", n, e.getMessage()).isBetween(0L, (long) n);
        }
    }
}
