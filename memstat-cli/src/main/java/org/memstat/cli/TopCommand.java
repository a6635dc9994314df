package org.memstat.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlSource;
import org.memstat.lib.ZonePeaks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memstat top}: a live full-screen table of the UMA zones ({@link TopScreen}), or, with {@code --once} or
 * {@code -n N}, the same table printed as plain text without touching the terminal.
 *
 * <p>Batch modes take a first sample, then N times: wait the delay, sample, print a frame (frames are separated
 * by a blank line). Every frame therefore covers one interval, so rates are real rates.
 */
@Command(name = "top", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A live view of the UMA zones: used, free, requests, failures, sleeps and bytes per zone.",
            "",
            "Keys: n s u f r F S b sort by name, size, used, free, requests, failures, sleeps, bytes (again: "
                + "reverse); / filter by regex (empty clears); m cycle rate / delta / since-start / absolute; "
                + "+ - change the delay; space or Ctrl-L redraw; q quit."})
final class TopCommand implements Callable<Integer> {
    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--delay"}, paramLabel = "SECONDS", defaultValue = "1",
            description = "refresh interval in seconds (default: ${DEFAULT-VALUE})")
    double delay;

    @Option(names = "--once", description = "print one frame (two samples one delay apart) and exit")
    boolean once;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", description = "print N frames and exit")
    Integer iterations;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "rate",
            description = "counters as rate, delta, since-start or absolute (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = {"-o", "--sort"}, paramLabel = "KEY", defaultValue = "bytes",
            description = "sort by name, size, used, free, req, fail, sleep or bytes (default: ${DEFAULT-VALUE})")
    String sort;

    @Option(names = "--filter", paramLabel = "REGEX", description = "show only zones whose name matches")
    String filter;

    @Override
    public Integer call() throws MemstatException {
        parent.requireText(spec);
        TopModel model = model();
        if (!(delay >= 0.01 && delay <= 3600)) {
            throw usage("--delay must be between 0.01 and 3600 seconds");
        }
        Duration interval = Duration.ofNanos((long) (delay * 1e9));
        if (once && iterations != null) {
            throw usage("--once and -n cannot be combined");
        }
        int frames = once ? 1 : iterations == null ? 0 : iterations;
        if (iterations != null && iterations < 1) {
            throw usage("-n must be at least 1");
        }
        if (frames == 0 && !parent.cli.interactive()) {
            throw usage("top: not a terminal; use --once or -n N for plain-text output");
        }
        try (SysctlSource source = parent.openSource(true)) {
            MemoryTypeList list = new MemoryTypeList();
            list.refreshUma(source);
            TopModel.Frame first = model.sample(list, ZonePeaks.read(source), parent.cli.nanoTime().getAsLong());
            if (frames == 0) {
                return new TopScreen(parent.cli, model, list, source, delay, first).run();
            }
            for (int i = 0; i < frames; i++) {
                try {
                    parent.cli.sleeper().sleep(interval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCode.OK;
                }
                list.refreshUma(source);
                TopModel.Frame frame = model.sample(list, ZonePeaks.read(source), parent.cli.nanoTime().getAsLong());
                List<String> lines = TopText.render(model, frame, source.uri(), parent.cli.wallClock().get(),
                        delay);
                StringBuilder sb = new StringBuilder(i > 0 ? "\n" : "");
                for (String l : lines) {
                    sb.append(l).append('\n');
                }
                parent.cli.out().print(sb);
                parent.cli.out().flush();
            }
        }
        return ExitCode.OK;
    }

    private TopModel model() {
        TopModel m = new TopModel();
        m.mode = switch (mode.toLowerCase(Locale.ROOT)) {
            case "rate" -> TopModel.Mode.RATE;
            case "delta" -> TopModel.Mode.DELTA;
            case "since-start", "since" -> TopModel.Mode.SINCE;
            case "absolute" -> TopModel.Mode.ABSOLUTE;
            default -> throw usage("--mode: expected rate, delta, since-start or absolute, not '" + mode + "'");
        };
        m.sort = switch (sort.toLowerCase(Locale.ROOT)) {
            case "name" -> TopModel.Sort.NAME;
            case "size" -> TopModel.Sort.SIZE;
            case "used" -> TopModel.Sort.USED;
            case "free" -> TopModel.Sort.FREE;
            case "req", "requests" -> TopModel.Sort.REQ;
            case "fail", "failures" -> TopModel.Sort.FAIL;
            case "sleep", "sleeps" -> TopModel.Sort.SLEEP;
            case "bytes" -> TopModel.Sort.BYTES;
            default -> throw usage("--sort: unknown key '" + sort + "'");
        };
        if (filter != null && !filter.isEmpty()) {
            try {
                m.filter = Pattern.compile(filter);
            } catch (PatternSyntaxException e) {
                throw usage("--filter: " + e.getDescription() + " in '" + filter + "'");
            }
        }
        return m;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
