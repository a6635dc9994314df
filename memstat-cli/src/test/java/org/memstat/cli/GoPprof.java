package org.memstat.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * (A copy of memstat-pprof's test helper of the same name; test classes are not shared between the modules.)
 * Runs the real {@code go tool pprof} (Debian's golang-go) on profile files, in a child process with a
 * timeout and its own HOME and Go cache under a test's temporary directory. Without {@code go} the test fails,
 * saying how to install it: these tests must not pass silently on a machine that cannot run them.
 */
final class GoPprof {
    /** Generous for a 2-core machine: pprof reads a small file in well under a second. */
    private static final long TIMEOUT_SECONDS = 120;

    private final Path go;
    private final Path dir;

    private GoPprof(Path go, Path dir) {
        this.go = go;
        this.dir = dir;
    }

    /** Where Debian's golang-go and Go's own tarball put {@code go}, looked at after the PATH. */
    static final List<Path> FALLBACKS = List.of(Path.of("/usr/lib/go/bin/go"), Path.of("/usr/local/go/bin/go"));

    /**
     * Finds {@code go} on the PATH or where Debian's and Go's own installs put it, else fails the test.
     *
     * @param dir a temporary directory for the child's HOME, caches and output
     * @return the runner
     */
    static GoPprof find(Path dir) {
        return find(dir, System.getenv("PATH"), FALLBACKS);
    }

    /**
     * Finds {@code go} on {@code path}, then at {@code fallbacks}, else fails the test saying how to install it.
     *
     * @param dir       a temporary directory for the child's HOME, caches and output
     * @param path      a PATH value, or null
     * @param fallbacks where else to look
     * @return the runner
     */
    static GoPprof find(Path dir, String path, List<Path> fallbacks) {
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "go"));
                }
            }
        }
        candidates.addAll(fallbacks);
        for (Path c : candidates) {
            if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                return new GoPprof(c, dir);
            }
        }
        return fail("`go` not found (PATH " + path + ", then " + fallbacks + "): the pprof tests need "
                + "`go tool pprof`; install Debian's golang-go (apt-get install golang-go; bin/test and .ci/run do "
                + "that themselves when run as root)");
    }

    /**
     * Runs {@code go tool pprof ARGS} and returns its standard output; fails the test on a non-zero exit, any
     * output on standard error, or the timeout.
     *
     * @param args pprof's arguments, the profile file last
     * @return what pprof printed
     * @throws IOException          if the process cannot be started or its output read
     * @throws InterruptedException if interrupted while waiting
     */
    String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(go.toString(), "tool", "pprof"));
        command.addAll(List.of(args));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path out = Files.createTempFile(dir, "pprof", ".out");
        Path err = Files.createTempFile(dir, "pprof", ".err");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("GOCACHE", dir.resolve("gocache").toString());
        env.put("GOPATH", dir.resolve("gopath").toString());
        env.put("GOFLAGS", "");
        env.put("GOTOOLCHAIN", "local");
        env.put("PPROF_TMPDIR", dir.toString());
        // No browser, no remote symbolization: a local file with its functions already named.
        env.remove("PPROF_BINARY_PATH");
        env.remove("BROWSER");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            fail(command + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !stderr.isEmpty()) {
            fail(command + " exited " + p.exitValue() + "\nstderr:\n" + stderr + "\nstdout:\n" + stdout);
        }
        return stdout;
    }
}
