package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code --help} on every command lists the exit codes; {@code --version}; shell completion. */
class HelpTest {
    private final CliRun cli = new CliRun();

    @ParameterizedTest
    @ValueSource(strings = {"", "vmstat", "netstat", "top", "dump", "diff", "sysctl", "profile", "holders"})
    void everyCommandsHelpExitsZeroAndListsTheExitCodes(String command) {
        CliRun.Result r = command.isEmpty() ? cli.run("--help") : cli.run(command, "--help");

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: memstat" + (command.isEmpty() ? "" : " " + command))
                .contains("Exit codes:")
                .contains("  0   success")
                .contains("  2   usage error")
                .contains("  3   version mismatch")
                .contains("  4   data format error")
                .contains("  5   source unreachable")
                .contains("  6   permission denied")
                .contains("  7   a zone or malloc type the command needs is missing");
    }

    @Test
    void topLevelHelpNamesTheSourcesAndSubcommands() {
        String out = cli.run("--help").out();

        assertThat(out).contains("--source=URI", "demo", "MEMSTAT_SOURCE", "vmstat", "netstat", "top", "dump",
                "diff", "sysctl", "profile", "holders", "generate-completion");
    }

    @Test
    void versionPrintsTheProjectVersion() {
        CliRun.Result r = cli.run("--version");

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("memstat " + VersionProvider.version() + "\n");
        assertThat(VersionProvider.version()).isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void completionScriptCoversTheSubcommands() {
        CliRun.Result r = cli.run("generate-completion");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("vmstat").contains("netstat").contains("--source");
    }
}
