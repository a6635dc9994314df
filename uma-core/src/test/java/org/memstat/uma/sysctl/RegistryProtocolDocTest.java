package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the hex examples of docs/REGISTRY-PROTOCOL.md §7 against a server whose registry matches the examples,
 * and checks every answer byte for byte, so the document and the server cannot drift apart.
 */
@Timeout(60)
class RegistryProtocolDocTest {
    private static final Path DOC = Path.of("..", "docs", "REGISTRY-PROTOCOL.md");

    @TempDir
    Path dir;

    /** The frames of §7 in document order; a frame starts at each line whose offset is 0000. */
    static List<byte[]> examples() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("## 7.")).findFirst().orElseThrow());
        List<byte[]> frames = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines.subList(start, lines.size())) {
            if (!line.matches("^[0-9a-f]{4}: .*")) {
                continue;
            }
            if (line.startsWith("0000:")) {
                if (current != null) {
                    frames.add(HexFormat.of().parseHex(current));
                }
                current = new StringBuilder();
            }
            String bytes = line.substring(6, Math.min(line.length(), 6 + 16 * 3 - 1)).trim();
            current.append(bytes.replace(" ", ""));
        }
        frames.add(HexFormat.of().parseHex(current));
        return frames;
    }

    @Test
    void serverAnswersTheDocumentedExamplesByteForByte() throws IOException {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the examples show a little-endian server");
        List<byte[]> f = examples();
        assertThat(f).hasSize(15);
        for (byte[] frame : f) {
            assertThat(ByteBuffer.wrap(frame).getInt()).as("length field").isEqualTo(frame.length - 4);
        }

        Sysctl sysctl = new Sysctl();
        StandardOids.registerSmp(sysctl, 64);
        StandardOids.registerZoneStats(sysctl, new FakeProducers.Zones(4, ZoneStatsStreamTest.mixedZones(4)
                .subList(0, 2)));
        StandardOids.registerMbufLimitOids(sysctl, new MbufLimitOids(1024, 1 << 20, 0, 0, 0, (k, v) -> v));

        try (RegistryServer writable = RegistryServer.builder(sysctl, dir.resolve("w.sock")).allowWrites(true)
                .start();
             TestRegistryClient c = TestRegistryClient.connect(writable.socketPath())) {
            int[][] pairs = {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}, {11, 12}, {13, 14}};
            for (int[] p : pairs) {
                c.send(f.get(p[0]));
                assertThat(frameOf(c.receive())).as("answer to example frame %d", p[0])
                        .isEqualTo(HexFormat.of().formatHex(f.get(p[1])));
            }
        }
        try (RegistryServer readOnly = RegistryServer.builder(sysctl, dir.resolve("r.sock")).start();
             TestRegistryClient c = TestRegistryClient.connect(readOnly.socketPath())) {
            c.send(f.get(8));
            assertThat(frameOf(c.receive())).isEqualTo(HexFormat.of().formatHex(f.get(10)));
        }
    }

    private static String frameOf(TestRegistryClient.Response r) {
        ByteBuffer b = ByteBuffer.allocate(16 + r.body().length).putInt(12 + r.body().length).put((byte) r.version())
                .put((byte) r.op()).putShort((short) r.flags()).putInt(r.id()).putInt(r.errno()).put(r.body());
        return HexFormat.of().formatHex(Arrays.copyOf(b.array(), b.position()));
    }
}
