package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reads the registry of another JVM through its socket. */
@Timeout(120)
class SecondJvmRegistryTest {
    private static final String EOF = "<eof>";

    @TempDir
    Path dir;

    @Test
    void readsTheRegistryOfASecondJvm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RegistryChildMain.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    stdout.add(line);
                }
            } catch (java.io.IOException ignored) {
                // The child is gone; EOF below tells the test.
            }
            stdout.add(EOF);
        });
        try {
            String ready = stdout.poll(60, TimeUnit.SECONDS);
            assertThat(ready).as("child's ready line").isNotNull().startsWith("READY ");
            Path socket = Path.of(ready.substring("READY ".length()));
            assertThat(socket).isEqualTo(dir.resolve("child.sock").toAbsolutePath());

            try (TestRegistryClient c = TestRegistryClient.connect(socket)) {
                long childPid = ByteBuffer.wrap(c.read("kern.child.pid", 8).value()).order(ByteOrder.nativeOrder())
                        .getLong();
                assertThat(childPid).isEqualTo(child.pid()).isNotEqualTo(ProcessHandle.current().pid());
                assertThat(ByteBuffer.wrap(c.read("kern.smp.maxcpus", 4).value()).order(ByteOrder.nativeOrder())
                        .getInt()).isEqualTo(2);
                assertThat(new String(c.read("kern.ostype", 64).value(), StandardCharsets.UTF_8))
                        .isEqualTo("memstat-child\0");
                TestRegistryClient.Response size = c.size("vm.zone_stats");
                TestRegistryClient.Response stream = c.read("vm.zone_stats", size.size());
                assertThat(stream.value()).isEqualTo(GoldenStreams.zoneStream(
                        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, 2, ZoneStatsStreamTest.mixedZones(2)));
            }

            child.getOutputStream().close();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exits when stdin closes").isTrue();
            assertThat(child.exitValue()).isZero();
            assertThat(stdout.poll(10, TimeUnit.SECONDS)).isEqualTo("BYE");
            assertThat(socket).as("socket removed by the child").doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }
}
