package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SysctlSource#parse}: one-line errors for every way a URI can be wrong. */
class SourceUrisTest {
    @TempDir
    Path dir;

    private static final String EXPECTED = "expected dir:PATH, unix:PATH or http://HOST:PORT";

    static List<Arguments> badUris() {
        return List.of(
                arguments("ftp://host/x", "unknown source scheme 'ftp' in 'ftp://host/x'; " + EXPECTED),
                arguments("", "empty source URI; " + EXPECTED),
                arguments("/var/tmp/snap", "source '/var/tmp/snap' has no scheme; " + EXPECTED
                        + " (did you mean dir:/var/tmp/snap?)"),
                arguments("dir:", "dir: needs a path to a directory, e.g. dir:/var/tmp/snap"),
                arguments("unix:", "unix: needs a path to a socket file, e.g. unix:/var/run/memstat.sock"),
                arguments("dir:/no/such/dir", "'dir:/no/such/dir': /no/such/dir does not exist"),
                arguments("unix:/no/such.sock", "'unix:/no/such.sock': /no/such.sock does not exist"),
                arguments("http://", "'http://': malformed URI: Expected authority at index 7: http://"),
                arguments("http://:8080", "'http://:8080': missing host; expected http://HOST:PORT"),
                arguments("http://h:1/?a=b", "'http://h:1/?a=b': no query, fragment or user info allowed"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("badUris")
    void rejectsWithAOneLineReason(String uri, String message) {
        assertThatThrownBy(() -> SysctlSource.parse(uri)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsAFileAsADirectoryAndADirectoryAsASocket() throws Exception {
        Path file = Files.createFile(dir.resolve("f"));
        assertThatThrownBy(() -> SysctlSource.parse("dir:" + file)).hasMessageEndingWith("is not a directory");
        assertThatThrownBy(() -> SysctlSource.parse("unix:" + dir))
                .hasMessageEndingWith("is a directory, not a socket");
    }

    @Test
    void acceptsEachScheme() throws Exception {
        assertThat(SysctlSource.parse("dir:" + dir).uri()).isEqualTo("dir:" + dir);
        try (SysctlSource http = SysctlSource.parse("http://127.0.0.1:8080/")) {
            assertThat(http.uri()).isEqualTo("http://127.0.0.1:8080");
        }
        Path sock = Files.createFile(dir.resolve("s.sock"));
        assertThat(SysctlSource.parse("unix:" + sock).uri()).isEqualTo("unix:" + sock);
    }
}
