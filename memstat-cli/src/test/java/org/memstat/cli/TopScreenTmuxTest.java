package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-screen {@code top} driven once in a real terminal: tmux runs a JVM with this module's test classpath,
 * the test sends keys and reads the screen with {@code capture-pane}. Skipped when tmux is not installed. A
 * private tmux server ({@code -L}) keeps the user's sessions out of it.
 */
class TopScreenTmuxTest {
    @TempDir
    Path tmp;

    private final String server = "memstat-test-" + ProcessHandle.current().pid();

    private static boolean tmuxAvailable() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Polls the screen until {@code done} holds (10 s at most) and returns it. */
    private String screenWhen(Predicate<String> done) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux("capture-pane", "-p", "-t", "top");
            if (done.test(screen)) {
                return screen;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("screen never matched; last screen:\n" + screen);
    }

    @AfterEach
    void killServer() throws IOException, InterruptedException {
        if (tmuxAvailable()) {
            tmux("kill-server");
        }
    }

    @Test
    void fullScreenSortsFiltersCyclesModesRedrawsOnResizeAndQuits() throws Exception {
        assumeTrue(tmuxAvailable(), "tmux is not installed");
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("beta").size(1000).allocs(100);
        u.zone("alpha").size(100).allocs(1000).frees(200);
        Path snap = CliRun.snapshot(tmp.resolve("s"), Map.of("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN)));
        Path exit = tmp.resolve("exit");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty(
                "java.class.path") + "' org.memstat.cli.Main --source 'dir:" + snap + "' top -d 0.2; echo $? > '"
                + exit + "'";
        tmux("new-session", "-d", "-s", "top", "-x", "100", "-y", "20", command);

        String first = screenWhen(s -> s.contains("alpha") && s.contains("beta"));
        assertThat(first).contains("mode rate - sort bytes").contains("keys: n s u f r F S b sort");
        assertThat(first.indexOf("\nbeta")).as("bytes: beta 100000 before alpha 80000")
                .isLessThan(first.indexOf("\nalpha"));

        tmux("send-keys", "-t", "top", "n");
        String byName = screenWhen(s -> s.contains("sort name"));
        assertThat(byName.indexOf("\nalpha")).isLessThan(byName.indexOf("\nbeta"));

        tmux("send-keys", "-t", "top", "/", "b", "e", "Enter");
        String filtered = screenWhen(s -> s.contains("filter /be/"));
        assertThat(filtered).contains("zones 1/2").contains("\nbeta").doesNotContain("\nalpha");

        tmux("send-keys", "-t", "top", "m");
        screenWhen(s -> s.contains("mode delta") && s.contains("REQ  FAIL"));

        tmux("resize-window", "-t", "top", "-x", "40", "-y", "10");
        // Without a redraw the old 20-row frame would be cropped and its key line (row 20) would be gone; after
        // SIGWINCH the frame is laid out again for 10 rows, so the key line is the 10th.
        String small = screenWhen(s -> s.lines().count() == 10 && s.lines().toList().get(9).startsWith("keys: n s"));
        assertThat(small.lines().toList().get(0)).startsWith("memstat top - mode delta");

        tmux("send-keys", "-t", "top", "q");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
            assertThat(System.nanoTime()).as("top did not quit on q").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertThat(Files.readString(exit).strip()).isEqualTo("0");
    }
}
