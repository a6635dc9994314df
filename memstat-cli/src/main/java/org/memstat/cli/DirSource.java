package org.memstat.cli;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;

/**
 * {@code dir:PATH}: reads through memstat-lib's snapshot source (which also derives absent scalars); lists the
 * snapshot's files as OIDs. A snapshot does not record kinds, so they come from {@link KnownOids}, else from the
 * value: printable text ending in NUL a string, else 4 bytes an int, 8 bytes a long, anything else opaque.
 */
final class DirSource implements ListableSource {
    /** The metadata file {@code dump} writes; not an OID. */
    static final String METADATA = "memstat.dump";

    private final SysctlSource inner;
    private final Path dir;

    DirSource(SysctlSource inner, Path dir) {
        this.inner = inner;
        this.dir = dir;
    }

    @Override
    public byte[] read(String oid) throws SysctlException {
        if (oid.equals(METADATA)) {
            throw new SysctlException(oid, Errno.ENOENT, "not an OID");
        }
        return inner.read(oid);
    }

    @Override
    public int readInt(String oid) throws SysctlException {
        return inner.readInt(oid);
    }

    @Override
    public String uri() {
        return inner.uri();
    }

    /** The snapshot directory. */
    Path dir() {
        return dir;
    }

    @Override
    public List<OidEntry> list() throws SysctlException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(DirSource::isOidName).forEach(names::add);
        } catch (IOException e) {
            throw new SysctlException("(list)", Errno.EIO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        names.sort(TREE_ORDER);
        List<OidEntry> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(describe(n));
        }
        return out;
    }

    @Override
    public OidEntry describe(String oid) throws SysctlException {
        OidEntry known = KnownOids.ALL.get(oid);
        if (known != null) {
            read(oid);
            return known;
        }
        return guess(oid, read(oid));
    }

    /**
     * The entry of an OID whose kind nobody recorded: printable text ending in NUL a string, else 4 bytes an
     * int, 8 bytes a long, anything else opaque.
     *
     * @param oid the name
     * @param v   its value
     * @return the entry
     */
    static OidEntry guess(String oid, byte[] v) {
        // Text first: "FreeBSD\0" is 8 bytes, but no int or long of a plausible size reads as text.
        OidKind kind = isString(v) ? OidKind.STRING : switch (v.length) {
            case 4 -> OidKind.INT;
            case 8 -> OidKind.LONG;
            default -> OidKind.OPAQUE;
        };
        String format = switch (kind) {
            case INT -> "I";
            case LONG -> "L";
            case STRING -> "A";
            default -> "";
        };
        return new OidEntry(oid, kind, format, false);
    }

    @Override
    public ByteOrder order() {
        return StreamOrder.of(inner);
    }

    @Override
    public void close() {
        inner.close();
    }

    private static boolean isOidName(String name) {
        return !name.isEmpty() && !name.startsWith(".") && !name.equals(METADATA) && !name.endsWith(".tmp")
                && !name.contains("..") && !name.endsWith(".");
    }

    /** At least two printable characters (or tab/newline), then a NUL, and nothing else. */
    private static boolean isString(byte[] v) {
        if (v.length < 3 || v[v.length - 1] != 0) {
            return false;
        }
        for (int i = 0; i < v.length - 1; i++) {
            int c = v[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** sysctl's tree order: component by component, so {@code kern.smp.maxid} comes before {@code kern.smpx}. */
    static final Comparator<String> TREE_ORDER = (a, b) -> {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };
}
