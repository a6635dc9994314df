package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One entry of the registry tree. Entries are immutable once published, except a node's child map (concurrent,
 * weakly consistent for listings) and its description (set once when an implicit node is described later).
 */
abstract sealed class Oid permits Oid.Node, Oid.Leaf {
    final String name;

    Oid(String name) {
        this.name = name;
    }

    abstract OidInfo info();

    /** An interior node. Children are keyed by their last name component, in ascending order. */
    static final class Node extends Oid {
        final ConcurrentSkipListMap<String, Oid> children = new ConcurrentSkipListMap<>();
        volatile String description;

        Node(String name, String description) {
            super(name);
            this.description = description;
        }

        @Override
        OidInfo info() {
            return new OidInfo(name, OidType.NODE, "", description, false);
        }
    }

    /** A leaf whose value is produced on every read and whose writes are validated by a handler. */
    abstract static sealed class Leaf extends Oid permits IntLeaf, LongLeaf, StringLeaf, OpaqueLeaf {
        final OidType type;
        final String format;
        final String description;

        Leaf(String name, OidType type, String format, String description) {
            super(name);
            this.type = type;
            this.format = format;
            this.description = description;
        }

        @Override
        OidInfo info() {
            return new OidInfo(name, type, format, description, writable());
        }

        abstract boolean writable();

        /** Produces the current value and hands it to the sink once. */
        abstract void read(Consumer<ByteBuffer> sink);

        /** Decodes and applies a new value (native order, position 0); the registry serializes calls. */
        abstract int write(ByteBuffer value);
    }

    static final class IntLeaf extends Leaf {
        private final IntSupplier reader;
        private final IntWriter writer;

        IntLeaf(String name, OidType type, String format, String description, IntSupplier reader, IntWriter writer) {
            super(name, type, format, description);
            this.reader = reader;
            this.writer = writer;
        }

        @Override
        boolean writable() {
            return writer != null;
        }

        @Override
        void read(Consumer<ByteBuffer> sink) {
            sink.accept(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, reader.getAsInt()));
        }

        @Override
        int write(ByteBuffer value) {
            return value.remaining() != Integer.BYTES ? Errno.EINVAL : writer.write(value.getInt(0));
        }
    }

    static final class LongLeaf extends Leaf {
        private final LongSupplier reader;
        private final LongWriter writer;

        LongLeaf(String name, OidType type, String format, String description, LongSupplier reader,
                 LongWriter writer) {
            super(name, type, format, description);
            this.reader = reader;
            this.writer = writer;
        }

        @Override
        boolean writable() {
            return writer != null;
        }

        @Override
        void read(Consumer<ByteBuffer> sink) {
            sink.accept(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(0, reader.getAsLong()));
        }

        @Override
        int write(ByteBuffer value) {
            return value.remaining() != Long.BYTES ? Errno.EINVAL : writer.write(value.getLong(0));
        }
    }

    /** Strings read as UTF-8 plus the trailing NUL, as FreeBSD's string handler copies it. */
    static final class StringLeaf extends Leaf {
        private final Supplier<String> reader;
        private final StringWriter writer;

        StringLeaf(String name, String description, Supplier<String> reader, StringWriter writer) {
            super(name, OidType.STRING, OidType.STRING.defaultFormat(), description);
            this.reader = reader;
            this.writer = writer;
        }

        @Override
        boolean writable() {
            return writer != null;
        }

        @Override
        void read(Consumer<ByteBuffer> sink) {
            byte[] utf8 = String.valueOf(reader.get()).getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(utf8.length + 1).put(utf8).put((byte) 0);
            sink.accept(b.flip());
        }

        @Override
        int write(ByteBuffer value) {
            int end = 0;
            while (end < value.limit() && value.get(end) != 0) {
                end++;
            }
            String s;
            try {
                s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(value.slice(0, end))
                        .toString();
            } catch (CharacterCodingException e) {
                return Errno.EINVAL;
            }
            return writer.write(s);
        }
    }

    static final class OpaqueLeaf extends Leaf {
        private final OpaqueReader reader;
        private final DirectOpaqueReader direct;
        private final OpaqueWriter writer;

        OpaqueLeaf(String name, String format, String description, OpaqueReader reader, OpaqueWriter writer) {
            super(name, OidType.OPAQUE, format, description);
            this.reader = reader;
            this.direct = reader instanceof DirectOpaqueReader d ? d : null;
            this.writer = writer;
        }

        /** Writes the value straight into a writable {@code dst}; -1 when it cannot (see DirectOpaqueReader). */
        int readInto(ByteBuffer dst) {
            return direct == null ? -1 : direct.writeInto(dst);
        }

        @Override
        boolean writable() {
            return writer != null;
        }

        @Override
        void read(Consumer<ByteBuffer> sink) {
            reader.read(sink);
        }

        @Override
        int write(ByteBuffer value) {
            return writer.write(value.asReadOnlyBuffer());
        }
    }
}
