package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logic of {@code bin/memstat}, run by bash in a copy of the repository layout with a fake {@code mvnw} and a
 * fake JDK 25 (whose {@code java} prints its arguments), so it needs neither Maven nor the shaded jar: building
 * when the jar is missing or stale, not building otherwise, running from any directory and through a symlink,
 * passing exit codes through, and its own exit codes 10 (no JDK 25) and 11 (build failed). The real end-to-end
 * run from a fresh clone is {@code bin/test-memstat.sh} (manual, see docs/CLI.md).
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path jdk;

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        return Files.exists(p.resolve("bin/memstat")) ? p : p.getParent();
    }

    private static void script(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @BeforeEach
    void layout() throws IOException, InterruptedException {
        assumeTrue(new ProcessBuilder("bash", "-c", "true").start().waitFor() == 0, "bash is not available");
        root = tmp.resolve("repo");
        script(root.resolve("bin/memstat"), Files.readString(repo().resolve("bin/memstat")));
        script(root.resolve("bin/lib/java25.sh"), Files.readString(repo().resolve("bin/lib/java25.sh")));
        script(root.resolve("mvnw"), """
                #!/usr/bin/env bash
                echo "$*" >> "$FAKE_LOG"
                [[ ${FAKE_MVN_RC:-0} == 0 ]] || exit "$FAKE_MVN_RC"
                mkdir -p memstat-cli/target && touch memstat-cli/target/memstat.jar
                """);
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        for (String m : List.of("uma-core", "memstat-lib", "memstat-pprof", "memstat-cli")) {
            Files.createDirectories(root.resolve(m + "/src/main/java"));
            Files.writeString(root.resolve(m + "/pom.xml"), "<project/>");
        }
        jdk = tmp.resolve("jdk25");
        script(jdk.resolve("bin/java"), """
                #!/bin/sh
                if [ "$1" = "-version" ]; then echo 'openjdk version "25.0.3" 2025-10-21' >&2; exit 0; fi
                echo "JAVA $*"
                exit ${FAKE_JAVA_RC:-0}
                """);
        setAll(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Gives every file of the fake repository the same old time, so that only what a test touches is newer. */
    private void setAll(Instant t) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(t));
            }
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(Path launcher, Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove("MEMSTAT_JVM_ROOTS");
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().put("FAKE_LOG", tmp.resolve("mvn.log").toString());
        pb.environment().putAll(env);
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private List<String> builds() throws IOException {
        Path log = tmp.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void buildsWhenTheJarIsMissingThenRunsItFromAnyDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));

        Run r = run(root.resolve("bin/memstat"), elsewhere, Map.of(), "--source", "demo", "vmstat", "-z");

        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("memstat: building (first run or sources changed)...");
        assertThat(builds()).containsExactly("-B -q -pl memstat-cli -am package -Dmaven.test.skip=true");
        assertThat(r.out()).isEqualTo("JAVA --enable-native-access=ALL-UNNAMED -jar "
                + root.resolve("memstat-cli/target/memstat.jar") + " --source demo vmstat -z\n");
    }

    @Test
    void doesNotRebuildAFreshJarButRebuildsWhenASourceIsNewer() throws Exception {
        run(root.resolve("bin/memstat"), tmp, Map.of(), "--version");
        setAll(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(root.resolve("memstat-cli/target/memstat.jar"),
                FileTime.from(Instant.parse("2026-02-01T00:00:00Z")));

        run(root.resolve("bin/memstat"), tmp, Map.of(), "--version");
        assertThat(builds()).hasSize(1);

        Path changed = root.resolve("memstat-lib/src/main/java/Changed.java");
        Files.writeString(changed, "class Changed {}");
        Files.setLastModifiedTime(changed, FileTime.from(Instant.parse("2026-03-01T00:00:00Z")));
        run(root.resolve("bin/memstat"), tmp, Map.of(), "--version");
        assertThat(builds()).hasSize(2);
    }

    @Test
    void worksThroughASymlinkAndPassesTheExitCodeThrough() throws Exception {
        Path link = tmp.resolve("links/memstat");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, root.resolve("bin/memstat"));

        Run r = run(link, tmp, Map.of("FAKE_JAVA_RC", "7"), "netstat", "-m");

        assertThat(r.code()).isEqualTo(7);
        assertThat(r.out()).contains("-jar " + root.resolve("memstat-cli/target/memstat.jar") + " netstat -m");
    }

    @Test
    void failedBuildIsExitElevenWithOneLine() throws Exception {
        Run r = run(root.resolve("bin/memstat"), tmp, Map.of("FAKE_MVN_RC", "1"), "vmstat", "-z");

        assertThat(r.code()).isEqualTo(11);
        assertThat(r.err()).endsWith("memstat: build failed; run bin/test -pl memstat-cli -am to see why\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingJdk25IsExitTenNotTheCommandsThree() throws Exception {
        Path old = tmp.resolve("jdk17");
        script(old.resolve("bin/java"), "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
        Path none = Files.createDirectories(tmp.resolve("no-jdks"));

        Run r = run(root.resolve("bin/memstat"), tmp, Map.of("JAVA_HOME", old.toString(), "MEMSTAT_JVM_ROOTS",
                none.toString()), "vmstat", "-z");

        assertThat(r.code()).isEqualTo(10);
        assertThat(r.err()).startsWith("memstat: JDK 25 not found");
        assertThat(builds()).isEmpty();
    }
}
