package org.memstat.lib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.memstat.lib.SysctlException.Errno;

/**
 * A saved set of OID values: a {@code dir:} directory or an in-memory map. Holds the rules both share (text
 * scalars, byte order, values derived when absent); see {@link SysctlSource#of(Map)} for the contract.
 */
abstract sealed class SnapshotSource implements SysctlSource {
    /** FreeBSD's current malloc(9) bucket sizes (reference §2, CUR-malloc), used when a snapshot lacks them. */
    static final int[] CURRENT_MALLOC_ZONE_SIZES = {
        16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
    };

    /** The stored value of {@code oid}, or {@code null} when the snapshot does not have it. */
    abstract byte[] lookup(String oid) throws SysctlException;

    /** At least the first 16 bytes of the stored value of {@code oid} (or all of a shorter one), or {@code null}. */
    abstract byte[] head(String oid) throws SysctlException;

    @Override
    public final byte[] read(String oid) throws SysctlException {
        byte[] v = lookup(oid);
        if (v == null) {
            return derive(oid);
        }
        if (!StreamKind.isStream(oid) && Scalars.isDecimalText(v)) {
            return Scalars.fromText(oid, v, order());
        }
        return v;
    }

    @Override
    public final int readInt(String oid) throws SysctlException {
        return Scalars.decodeInt(oid, read(oid), order());
    }

    /** The producer's order as the streams reveal it; little-endian when the snapshot has neither stream. */
    final ByteOrder order() throws SysctlException {
        ByteOrder o = Scalars.streamOrder(head(StreamKind.UMA.oid));
        if (o == null) {
            o = Scalars.streamOrder(head(StreamKind.MALLOC.oid));
        }
        return o == null ? ByteOrder.LITTLE_ENDIAN : o;
    }

    private byte[] derive(String oid) throws SysctlException {
        int[] value = switch (oid) {
            case "kern.smp.maxid" -> new int[] {headerField(oid, StreamKind.UMA, StreamLayout.SH_MAXCPUS) - 1};
            case "vm.zone_count" -> new int[] {headerField(oid, StreamKind.UMA, StreamLayout.SH_COUNT)};
            case "kern.smp.maxcpus" -> new int[] {headerField(oid, StreamKind.MALLOC, StreamLayout.SH_MAXCPUS)};
            case "kern.malloc_count" -> new int[] {headerField(oid, StreamKind.MALLOC, StreamLayout.SH_COUNT)};
            case "vm.malloc.zone_count" -> new int[] {CURRENT_MALLOC_ZONE_SIZES.length};
            case "vm.malloc.zone_sizes" -> CURRENT_MALLOC_ZONE_SIZES;
            default -> throw new SysctlException(oid, Errno.ENOENT, "not in the snapshot " + uri());
        };
        return Scalars.encodeInts(order(), value);
    }

    private int headerField(String oid, StreamKind kind, int offset) throws SysctlException {
        byte[] h = head(kind.oid);
        if (h == null) {
            throw new SysctlException(oid, Errno.ENOENT, "not in the snapshot " + uri() + ", and no " + kind.oid
                    + " to derive it from");
        }
        ByteOrder o = Scalars.streamOrder(h);
        if (o == null || h.length < offset + 4) {
            throw new SysctlException(oid, Errno.ENOENT, "not in the snapshot " + uri() + ", and the header of "
                    + kind.oid + " is not valid to derive it from");
        }
        return ByteBuffer.wrap(h).order(o).getInt(offset);
    }

    /** A directory of files named by OID. */
    static final class Directory extends SnapshotSource {
        private final Path dir;

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        public String uri() {
            return "dir:" + dir;
        }

        @Override
        byte[] lookup(String oid) throws SysctlException {
            Path p = file(oid);
            try {
                if (Files.size(p) > MAX_VALUE_BYTES) {
                    throw new SysctlException(oid, Errno.E2BIG, p + " is larger than " + MAX_VALUE_BYTES
                            + " bytes");
                }
                return Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw ioFailure(oid, p, e);
            }
        }

        @Override
        byte[] head(String oid) throws SysctlException {
            Path p = file(oid);
            try (InputStream in = Files.newInputStream(p)) {
                return in.readNBytes(StreamLayout.SH_BYTES);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw ioFailure(oid, p, e);
            }
        }

        /** Only plain names: an OID must not walk out of the snapshot directory. */
        private Path file(String oid) throws SysctlException {
            if (oid.isEmpty() || oid.startsWith(".") || oid.indexOf('/') >= 0 || oid.indexOf('\\') >= 0
                    || oid.indexOf('\0') >= 0) {
                throw new SysctlException(oid, Errno.ENOENT, "is not a valid OID name for a dir: source");
            }
            return dir.resolve(oid);
        }

        private static SysctlException ioFailure(String oid, Path p, IOException e) {
            Errno errno = e instanceof AccessDeniedException ? Errno.EACCES : Errno.EIO;
            return new SysctlException(oid, errno, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** A map of OID name to value bytes, handed out without copying. */
    static final class InMemory extends SnapshotSource {
        private final Map<String, byte[]> values;

        InMemory(Map<String, byte[]> values) {
            this.values = Map.copyOf(values);
        }

        @Override
        public String uri() {
            return "memory:";
        }

        @Override
        byte[] lookup(String oid) {
            return values.get(oid);
        }

        @Override
        byte[] head(String oid) {
            return values.get(oid);
        }
    }
}
