package org.memstat.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlSource;
import org.memstat.lib.ZonePeaks;

/**
 * The full-screen {@code top}, on JLine 4: the system terminal (FFM provider on JDK 22+, exec provider as the
 * fallback), raw mode, the alternate screen, and {@link Display} for diff-based redraws. One loop waits for a key
 * or the next refresh, whichever comes first; a resize (SIGWINCH) redraws at the next 100 ms tick. The terminal is
 * restored in every case, including a source error, which then ends the command as usual.
 */
final class TopScreen {
    /** JLine reports provider fallbacks through java.util.logging; not for the user's terminal. */
    private static final Logger JLINE_LOG = Logger.getLogger("org.jline");
    private static final long TICK_MILLIS = 100;
    private static final int ESC = 27;

    private final Cli cli;
    private final TopModel model;
    private final MemoryTypeList list;
    private final SysctlSource source;
    private double delay;
    private TopModel.Frame frame;
    private String status;
    private StringBuilder input;

    TopScreen(Cli cli, TopModel model, MemoryTypeList list, SysctlSource source, double delay,
            TopModel.Frame first) {
        this.cli = cli;
        this.model = model;
        this.list = list;
        this.source = source;
        this.delay = delay;
        this.frame = first;
    }

    int run() throws MemstatException {
        JLINE_LOG.setLevel(Level.OFF);
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder().system(true).dumb(false).build();
        } catch (IOException | IllegalStateException e) {
            throw new CliException(ExitCode.USAGE, "top: cannot use the terminal (" + e.getMessage()
                    + "); use --once or -n N for plain-text output");
        }
        try (terminal) {
            return loop(terminal);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "top: terminal: " + e.getMessage(), e);
        }
    }

    private int loop(Terminal terminal) throws IOException, MemstatException {
        AtomicBoolean resized = new AtomicBoolean();
        AtomicBoolean quit = new AtomicBoolean();
        Attributes saved = terminal.enterRawMode();
        Terminal.SignalHandler prevWinch = terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
        Terminal.SignalHandler prevInt = terminal.handle(Terminal.Signal.INT, s -> quit.set(true));
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        try {
            Display display = new Display(terminal, true);
            Size size = terminal.getSize();
            display.resize(size);
            NonBlockingReader reader = terminal.reader();
            long next = cli.nanoTime().getAsLong() + nanos(delay);
            draw(display, size);
            while (!quit.get()) {
                if (resized.getAndSet(false)) {
                    size = terminal.getSize();
                    display.resize(size);
                    display.clear();
                    draw(display, size);
                }
                long now = cli.nanoTime().getAsLong();
                if (now >= next) {
                    list.refreshUma(source);
                    frame = model.sample(list, ZonePeaks.read(source), cli.nanoTime().getAsLong());
                    next = now + nanos(delay);
                    draw(display, size);
                    continue;
                }
                int c = reader.read(Math.min(TICK_MILLIS, Math.max(1, (next - now) / 1_000_000)));
                if (c == NonBlockingReader.READ_EXPIRED) {
                    continue;
                }
                if (c < 0 || !key(c, reader, display)) {
                    break;
                }
                draw(display, size);
            }
        } finally {
            terminal.setAttributes(saved);
            terminal.handle(Terminal.Signal.WINCH, prevWinch);
            terminal.handle(Terminal.Signal.INT, prevInt);
            terminal.puts(Capability.exit_ca_mode);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.cursor_visible);
            terminal.flush();
        }
        return ExitCode.OK;
    }

    /** Handles one key; returns false to quit. */
    private boolean key(int c, NonBlockingReader reader, Display display) throws IOException {
        if (input != null) {
            return filterKey(c, reader);
        }
        status = null;
        TopModel.Sort sort = TopModel.Sort.ofKey(c);
        if (sort != null) {
            model.sortBy(sort);
            return true;
        }
        switch (c) {
            case 'q', 'Q', 3, 4 -> {
                return false;
            }
            case 'm' -> model.mode = model.mode.next();
            case '/' -> input = new StringBuilder(model.filter == null ? "" : model.filter.pattern());
            case '+' -> delay = Math.min(3600, delay * 2);
            case '-' -> delay = Math.max(0.1, delay / 2);
            case ' ', 12 -> display.clear();
            case ESC -> skipEscape(reader);
            default -> status = "unknown key; " + TopText.KEYS;
        }
        return true;
    }

    /** The {@code /} prompt: Enter applies (empty clears the filter), Esc cancels, Backspace deletes. */
    private boolean filterKey(int c, NonBlockingReader reader) throws IOException {
        switch (c) {
            case '\r', '\n' -> {
                String re = input.toString();
                input = null;
                try {
                    model.filter = re.isEmpty() ? null : Pattern.compile(re);
                } catch (PatternSyntaxException e) {
                    status = "bad regex: " + e.getDescription();
                }
            }
            case ESC -> {
                skipEscape(reader);
                input = null;
            }
            case 127, 8 -> {
                if (!input.isEmpty()) {
                    input.setLength(input.length() - 1);
                }
            }
            case 3, 4 -> {
                return false;
            }
            default -> {
                if (c >= 0x20) {
                    input.append((char) c);
                }
            }
        }
        return true;
    }

    /** Drops the rest of an escape sequence (arrow keys and the like), which top does not use. */
    private static void skipEscape(NonBlockingReader reader) throws IOException {
        while (reader.peek(20) >= 0) {
            reader.read(1);
        }
    }

    private void draw(Display display, Size size) {
        int rows = Math.max(1, size.getRows());
        int cols = Math.max(1, size.getColumns());
        List<String> text = TopText.render(model, frame, source.uri(), cli.wallClock().get(), delay);
        List<AttributedString> lines = new ArrayList<>();
        for (int i = 0; i < text.size() && lines.size() < rows - 1; i++) {
            String l = text.get(i);
            l = l.length() > cols ? l.substring(0, cols) : l;
            lines.add(i == 3 ? new AttributedString(l, AttributedStyle.INVERSE) : new AttributedString(l));
        }
        while (lines.size() < rows - 1) {
            lines.add(AttributedString.EMPTY);
        }
        String bottom = input != null ? "filter (regex, Enter applies, Esc cancels): " + input
                : status != null ? status : TopText.KEYS;
        lines.add(new AttributedString(bottom.length() > cols - 1 ? bottom.substring(0, cols - 1) : bottom,
                AttributedStyle.BOLD));
        display.update(lines, 0);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }
}
