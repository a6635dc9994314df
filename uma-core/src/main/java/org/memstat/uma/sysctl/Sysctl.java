package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A tree of named OIDs, read like FreeBSD's {@code sysctlbyname(3)}.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread. Reads, size queries, listings and
 * descriptions take no lock, so readers never block each other (nor wait for writers). Registration and writes are
 * each serialized by their own lock: a write handler may validate against other OIDs it owns and apply without
 * another registry write interleaving. A listing that runs during a registration may or may not show the new OID.
 *
 * <p><b>Values.</b> Every read runs the OID's handler, so a value is always fresh. Ints and longs read as bytes come
 * in native byte order (as {@code sysctl -b} gives them), strings as UTF-8 with a trailing NUL, opaque OIDs as
 * their handler produces them. Writes take the same encodings.
 *
 * <p><b>Errors.</b> Bad names and bad values are answered with an {@link Errno} value, never an exception: unknown
 * or malformed name {@link Errno#ENOENT}, a name through a leaf {@link Errno#ENOTDIR}, a node read as a leaf
 * {@link Errno#EISDIR}, a buffer too small {@link Errno#ENOMEM} (with the size needed), a read-only OID written
 * {@link Errno#EPERM}, a rejected value {@link Errno#EINVAL}. Registering a name twice, or below a leaf, is a
 * programming error and throws {@link IllegalArgumentException}. An exception thrown by a handler propagates.
 *
 * <p><b>Order.</b> Children of a node are listed in ascending order of their last name component (names are
 * ASCII, so this is byte order), independent of registration order.
 */
public final class Sysctl {
    /** The longest OID name in bytes, as the socket protocol limits it. */
    public static final int MAX_NAME_LENGTH = 1024;
    /** The longest format string accepted at registration. */
    public static final int MAX_FORMAT_LENGTH = 256;
    /** The longest description accepted at registration. */
    public static final int MAX_DESCRIPTION_LENGTH = 1024;

    private final ConcurrentHashMap<String, Oid> byName = new ConcurrentHashMap<>();
    private final Oid.Node root = new Oid.Node("", "");
    private final ReentrantLock registerLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Creates an empty registry (only the root node). */
    public Sysctl() {
        byName.put("", root);
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers a node with a description, or describes a node that was created implicitly.
     *
     * @param name        the node's full name
     * @param description its description
     * @throws IllegalArgumentException if the name is malformed, a leaf, or an already described node
     */
    public void addNode(String name, String description) {
        OidName.require(name);
        checkText(description, MAX_DESCRIPTION_LENGTH, "description");
        registerLock.lock();
        try {
            Oid.Node node = ensureNode(name);
            if (!node.description.isEmpty()) {
                throw new IllegalArgumentException("OID node already registered: " + name);
            }
            node.description = description;
        } finally {
            registerLock.unlock();
        }
    }

    /**
     * Registers a read-only int OID with format {@code "I"}.
     *
     * @param name        the full name; parent nodes are created as needed
     * @param description its description
     * @param reader      produces the value on each read
     * @throws IllegalArgumentException if the name is malformed or taken
     */
    public void addInt(String name, String description, IntSupplier reader) {
        addInt(name, OidType.INT, OidType.INT.defaultFormat(), description, reader, null);
    }

    /**
     * Registers an int or uint OID.
     *
     * @param name        the full name; parent nodes are created as needed
     * @param type        {@link OidType#INT} or {@link OidType#UINT}
     * @param format      its format string ({@code "I"}, {@code "IU"})
     * @param description its description
     * @param reader      produces the value on each read
     * @param writer      validates and applies writes, or {@code null} for a read-only OID
     * @throws IllegalArgumentException if the name is malformed or taken, or the type is not 32-bit
     */
    public void addInt(String name, OidType type, String format, String description, IntSupplier reader,
                       IntWriter writer) {
        if (type != OidType.INT && type != OidType.UINT) {
            throw new IllegalArgumentException("not a 32-bit type: " + type);
        }
        Objects.requireNonNull(reader, "reader");
        register(new Oid.IntLeaf(name, type, checkFormat(format), checkDescription(description), reader, writer));
    }

    /**
     * Registers a read-only long OID with format {@code "L"}.
     *
     * @param name        the full name
     * @param description its description
     * @param reader      produces the value on each read
     * @throws IllegalArgumentException if the name is malformed or taken
     */
    public void addLong(String name, String description, LongSupplier reader) {
        addLong(name, OidType.LONG, OidType.LONG.defaultFormat(), description, reader, null);
    }

    /**
     * Registers a long or ulong OID.
     *
     * @param name        the full name
     * @param type        {@link OidType#LONG} or {@link OidType#ULONG}
     * @param format      its format string ({@code "L"}, {@code "LU"})
     * @param description its description
     * @param reader      produces the value on each read
     * @param writer      validates and applies writes, or {@code null} for a read-only OID
     * @throws IllegalArgumentException if the name is malformed or taken, or the type is not 64-bit
     */
    public void addLong(String name, OidType type, String format, String description, LongSupplier reader,
                        LongWriter writer) {
        if (type != OidType.LONG && type != OidType.ULONG) {
            throw new IllegalArgumentException("not a 64-bit type: " + type);
        }
        Objects.requireNonNull(reader, "reader");
        register(new Oid.LongLeaf(name, type, checkFormat(format), checkDescription(description), reader, writer));
    }

    /**
     * Registers a string OID (format {@code "A"}).
     *
     * @param name        the full name
     * @param description its description
     * @param reader      produces the value on each read
     * @param writer      validates and applies writes, or {@code null} for a read-only OID
     * @throws IllegalArgumentException if the name is malformed or taken
     */
    public void addString(String name, String description, Supplier<String> reader, StringWriter writer) {
        Objects.requireNonNull(reader, "reader");
        register(new Oid.StringLeaf(name, checkDescription(description), reader, writer));
    }

    /**
     * Registers an opaque OID (a struct or a binary stream).
     *
     * @param name        the full name
     * @param format      its format string, e.g. {@code "s,struct uma_type_header"}
     * @param description its description
     * @param reader      produces the value on each read
     * @param writer      validates and applies writes, or {@code null} for a read-only OID
     * @throws IllegalArgumentException if the name is malformed or taken
     */
    public void addOpaque(String name, String format, String description, OpaqueReader reader,
                          OpaqueWriter writer) {
        Objects.requireNonNull(reader, "reader");
        register(new Oid.OpaqueLeaf(name, checkFormat(format), checkDescription(description), reader, writer));
    }

    /**
     * Removes an OID and, for a node, everything below it ({@code sysctl_remove_name} with recursion). Readers
     * that already looked the name up finish with the old handler; later lookups find nothing.
     *
     * @param name the full name
     * @return true if it was registered
     * @throws IllegalArgumentException for the root or a malformed name
     */
    public boolean remove(String name) {
        OidName.require(name);
        registerLock.lock();
        try {
            Oid oid = byName.get(name);
            if (oid == null) {
                return false;
            }
            // Parent first, mirroring register: once a name is gone from its parent nobody can list into it.
            Oid.Node parent = (Oid.Node) byName.get(OidName.parent(name));
            parent.children.remove(OidName.last(name));
            forget(oid);
            return true;
        } finally {
            registerLock.unlock();
        }
    }

    private void forget(Oid oid) {
        if (oid instanceof Oid.Node node) {
            for (Oid child : node.children.values()) {
                forget(child);
            }
        }
        byName.remove(oid.name);
    }

    private void register(Oid.Leaf leaf) {
        OidName.require(leaf.name);
        registerLock.lock();
        try {
            Oid.Node parent = ensureNode(OidName.parent(leaf.name));
            if (byName.containsKey(leaf.name)) {
                throw new IllegalArgumentException("OID already registered: " + leaf.name);
            }
            // Child map first: a reader that finds the name in byName can also list it.
            parent.children.put(OidName.last(leaf.name), leaf);
            byName.put(leaf.name, leaf);
        } finally {
            registerLock.unlock();
        }
    }

    /** Finds or creates the node {@code name} and its ancestors. Caller holds the register lock. */
    private Oid.Node ensureNode(String name) {
        if (name.isEmpty()) {
            return root;
        }
        OidName.require(name);
        Oid existing = byName.get(name);
        if (existing instanceof Oid.Node node) {
            return node;
        }
        if (existing != null) {
            throw new IllegalArgumentException("OID " + name + " is a leaf, not a node");
        }
        Oid.Node parent = ensureNode(OidName.parent(name));
        Oid.Node node = new Oid.Node(name, "");
        parent.children.put(OidName.last(name), node);
        byName.put(name, node);
        return node;
    }

    private static String checkFormat(String format) {
        return checkText(format, MAX_FORMAT_LENGTH, "format");
    }

    private static String checkDescription(String description) {
        return checkText(description, MAX_DESCRIPTION_LENGTH, "description");
    }

    private static String checkText(String text, int max, String what) {
        Objects.requireNonNull(text, what);
        if (text.length() > max) {
            throw new IllegalArgumentException(what + " longer than " + max + " characters");
        }
        return text;
    }

    // ---------------------------------------------------------------- queries

    /**
     * Reads an OID into a caller buffer, like {@code sysctlbyname(name, oldp, &oldlen, NULL, 0)}.
     *
     * <p>With {@code oldp == null} this is a size query. Otherwise the value is written at the buffer's position
     * (whatever the buffer's own byte order: numbers come in native order) and the position advances past it. When
     * {@code oldp.remaining()} is smaller than the value, as much as fits is copied (as FreeBSD's kernel does) and
     * the result is {@link Errno#ENOMEM} with the size needed, which is what a caller wants to retry with.
     *
     * <p>An opaque OID whose reader is a {@link DirectOpaqueReader} writes straight into a writable {@code oldp}
     * (each byte touched once). Should its value grow past {@code oldp}'s limit while being written, the read falls
     * back to producing the value afresh and copying what fits, so the result is always one whole value or ENOMEM;
     * if the value meanwhile shrank, bytes between its end and the limit may have been changed.
     *
     * @param name the full name
     * @param oldp the caller's buffer, or {@code null} for a size query
     * @return errno and size
     */
    public SysctlResult read(String name, ByteBuffer oldp) {
        if (oldp != null && !oldp.isReadOnly() && lookup(name) instanceof Oid.OpaqueLeaf leaf) {
            int n = leaf.readInto(oldp);
            if (n >= 0) {
                oldp.position(oldp.position() + n);
                return new SysctlResult(Errno.OK, n);
            }
        }
        ReadSinks.Capture capture = new ReadSinks.Capture(oldp);
        int errno = readValue(name, capture);
        return errno == Errno.OK ? capture.result() : SysctlResult.error(errno);
    }

    /**
     * Asks for an OID's current value size, like {@code sysctlbyname(name, NULL, &oldlen, NULL, 0)}. This runs the
     * OID's handler.
     *
     * @param name the full name
     * @return errno and size
     */
    public SysctlResult size(String name) {
        return read(name, null);
    }

    /**
     * Produces an OID's value and hands it to {@code sink} (valid only during the call). Used by the socket server
     * to copy a value once without knowing its size in advance.
     *
     * @return 0, or the errno of the lookup
     */
    int readValue(String name, Consumer<ByteBuffer> sink) {
        Oid oid = lookup(name);
        if (oid == null) {
            return missErrno(name);
        }
        if (!(oid instanceof Oid.Leaf leaf)) {
            return Errno.EISDIR;
        }
        ReadSinks.Once once = new ReadSinks.Once(sink);
        leaf.read(once);
        if (!once.called) {
            sink.accept(ByteBuffer.allocate(0));
        }
        return Errno.OK;
    }

    /**
     * Writes an OID, like {@code sysctlbyname(name, NULL, NULL, newp, newlen)}. The value is the buffer's remaining
     * bytes, numbers in native order whatever the buffer's own byte order. Ints take exactly 4 bytes, longs 8,
     * strings their UTF-8 bytes (a NUL ends the string early). On success the buffer's position moves to its limit;
     * on any errno nothing changed.
     *
     * @param name the full name
     * @param newp the new value
     * @return errno, and on success the bytes consumed
     */
    public SysctlResult write(String name, ByteBuffer newp) {
        Oid oid = lookup(name);
        if (oid == null) {
            return SysctlResult.error(missErrno(name));
        }
        if (!(oid instanceof Oid.Leaf leaf)) {
            return SysctlResult.error(Errno.EISDIR);
        }
        if (!leaf.writable()) {
            return SysctlResult.error(Errno.EPERM);
        }
        int n = newp.remaining();
        ByteBuffer value = newp.slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        int errno;
        writeLock.lock();
        try {
            errno = leaf.write(value);
        } finally {
            writeLock.unlock();
        }
        if (errno != Errno.OK) {
            return SysctlResult.error(errno);
        }
        newp.position(newp.limit());
        return new SysctlResult(Errno.OK, n);
    }

    /**
     * Lists the OIDs below a node, like {@code sysctl -a} under a name: with {@code recursive}, every descendant
     * (nodes and leaves) depth-first in pre-order; without, the direct children. Children come in ascending order of
     * their last name component. The node itself is not listed.
     *
     * @param name      the node's full name; {@code ""} for the root
     * @param recursive whether to descend
     * @param out       receives the entries
     * @return 0, {@link Errno#ENOTDIR} for a leaf, or the errno of the lookup
     */
    public int list(String name, boolean recursive, List<? super OidInfo> out) {
        Oid oid = lookup(name);
        if (oid == null) {
            return missErrno(name);
        }
        if (!(oid instanceof Oid.Node node)) {
            return Errno.ENOTDIR;
        }
        listInto(node, recursive, out);
        return Errno.OK;
    }

    private static void listInto(Oid.Node node, boolean recursive, List<? super OidInfo> out) {
        for (Oid child : node.children.values()) {
            out.add(child.info());
            if (recursive && child instanceof Oid.Node n) {
                listInto(n, true, out);
            }
        }
    }

    /**
     * Describes one OID: type, format, description, writability.
     *
     * @param name the full name
     * @return the description, or empty when there is no such OID
     */
    public Optional<OidInfo> describe(String name) {
        Oid oid = lookup(name);
        return oid == null ? Optional.empty() : Optional.of(oid.info());
    }

    /** {@return 0 when {@code name} exists, else the errno a lookup of it gives} */
    int lookupErrno(String name) {
        return lookup(name) != null ? Errno.OK : missErrno(name);
    }

    private Oid lookup(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return null;
        }
        return byName.get(name);
    }

    /** Why a name was not found; only called on the miss path, so it may scan. */
    private int missErrno(String name) {
        int check = OidName.check(name);
        if (check != Errno.OK) {
            return check;
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            Oid prefix = byName.get(name.substring(0, dot));
            if (prefix == null) {
                return Errno.ENOENT;
            }
            if (prefix instanceof Oid.Leaf) {
                return Errno.ENOTDIR;
            }
        }
        return Errno.ENOENT;
    }
}
