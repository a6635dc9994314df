package org.memstat.lib;

import java.nio.ByteOrder;
import java.util.Map;

/**
 * Where a {@link MemoryTypeList} reads OIDs from: the Java counterpart of {@code sysctlbyname(3)}.
 *
 * <p>A value is returned exactly as {@code sysctl -b NAME} would print it: ints as 4 bytes and streams in the
 * producer's native byte order. Failures carry a FreeBSD errno ({@link SysctlException#errno()}), because a
 * refresh maps {@code EACCES}/{@code EPERM}, {@code ENOMEM} and the rest differently (reference §3.4).
 *
 * <p>Sources made by {@link #parse(String)}:
 * <ul>
 *   <li>{@code dir:PATH}: a directory of files named by OID, such as a snapshot taken on FreeBSD with
 *       {@code sysctl -b vm.zone_stats > snap/vm.zone_stats; sysctl -b kern.malloc_stats >
 *       snap/kern.malloc_stats}. See {@link #of(Map)} for scalar files and values derived when absent.</li>
 *   <li>{@code unix:PATH}: a running JVM's sysctl registry socket (uma-core's registry protocol, version 1).
 *       This source is a {@link WritableSysctlSource}: it also writes, describes and lists OIDs.</li>
 *   <li>{@code http://HOST:PORT} (or {@code https://}, optionally with a path prefix): a memstatd's raw OID
 *       endpoint. Contract: {@code GET {base}/api/v1/sysctl/{oid}} answers 200 with
 *       {@code Content-Type: application/octet-stream} and the raw value bytes (the producer's native order,
 *       ints as 4 bytes); 404 means no such OID ({@code ENOENT}), 403 means forbidden ({@code EPERM}), 401
 *       means unauthenticated ({@code EACCES}); any other status is {@code EIO}. The OID is percent-encoded
 *       except for {@code A-Z a-z 0-9 . _ ~ -}. Redirects are not followed. The client uses a 2 s connect
 *       timeout and a 10 s request timeout ({@code ETIMEDOUT}).</li>
 * </ul>
 * Every source bounds a single value at {@value #MAX_VALUE_BYTES} bytes and allocates in proportion to the
 * bytes actually received. Sources are safe to share between threads; close them when done.
 */
public interface SysctlSource extends AutoCloseable {
    /** The largest value any source in this package will read (512 MiB). */
    int MAX_VALUE_BYTES = 512 << 20;

    /**
     * Reads the whole value of {@code oid}.
     *
     * @param oid a dotted OID name such as {@code vm.zone_stats}
     * @return the value bytes; callers must not modify the array
     * @throws SysctlException with {@code ENOENT} for an unknown OID, {@code EACCES}/{@code EPERM} when access
     *                         is refused, {@code ENOMEM} when the value changed size while being read, and
     *                         another errno for other failures
     */
    byte[] read(String oid) throws SysctlException;

    /**
     * Reads {@code oid} as a C {@code int}: exactly 4 bytes, decoded in the producer's byte order.
     *
     * <p>The default decodes in this JVM's native order, which is right for a producer in this process.
     *
     * @param oid a dotted OID name such as {@code kern.smp.maxid}
     * @return the value
     * @throws SysctlException as {@link #read}, and {@code EINVAL} when the value is not exactly 4 bytes
     */
    default int readInt(String oid) throws SysctlException {
        return Scalars.decodeInt(oid, read(oid), ByteOrder.nativeOrder());
    }

    /**
     * Names this source for messages.
     *
     * @return the URI it was made from, for example {@code dir:/var/tmp/snap}
     */
    String uri();

    /** Releases connections or clients held by this source; reading afterwards is not supported. */
    @Override
    default void close() {
    }

    /**
     * Makes a source from a URI: {@code dir:PATH}, {@code unix:PATH} or {@code http://HOST:PORT}.
     *
     * @param uri the source URI
     * @return a new source
     * @throws IllegalArgumentException with a one-line message for an unknown scheme, a missing path, a path
     *                                  that does not exist, or a malformed HTTP URI
     */
    static SysctlSource parse(String uri) {
        return SourceUris.parse(uri);
    }

    /**
     * Makes an in-memory snapshot source over {@code values} (OID name to value bytes), with the same rules as
     * a {@code dir:} snapshot.
     *
     * <p>Stream OIDs are raw. Other values are raw native ints (4 bytes) or longs (8 bytes), or decimal text:
     * a value made only of ASCII digits, signs and whitespace is read as whitespace-separated decimal numbers
     * and encoded as ints (or as a long when a single number does not fit 32 bits), for example {@code "63\n"}
     * for {@code kern.smp.maxid} or {@code "16 32 64"} for {@code vm.malloc.zone_sizes}. Raw ints and encoded
     * text use the byte order of the snapshot's streams (from the version word of {@code vm.zone_stats}, else
     * {@code kern.malloc_stats}), little-endian when neither is present.
     *
     * <p>When a scalar a refresh needs is absent, it is derived, because people often save only the streams:
     * {@code kern.smp.maxid} = {@code ush_maxcpus - 1} and {@code vm.zone_count} = {@code ush_count} from the
     * {@code vm.zone_stats} header; {@code kern.smp.maxcpus} = {@code mtsh_maxcpus} and
     * {@code kern.malloc_count} = {@code mtsh_count} from the {@code kern.malloc_stats} header;
     * {@code vm.malloc.zone_count} and {@code vm.malloc.zone_sizes} = FreeBSD's current table (14 zones: 16, 32,
     * 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536). A dump from FreeBSD 10 or older,
     * whose table had no 384, needs those two files saved as well.
     *
     * <p>The arrays are not copied: {@link #read} hands out the given arrays, which keeps a refresh from this
     * source allocation-free.
     *
     * @param values OID name to value bytes
     * @return a source named {@code memory:}
     */
    static SysctlSource of(Map<String, byte[]> values) {
        return new SnapshotSource.InMemory(values);
    }

    /**
     * A source over any function that reads whole OID values, such as an in-process uma-core registry
     * ({@code oid -> sysctl size query, then read}); the function's arrays are handed out as they are.
     *
     * @param uri    the name used in messages, e.g. {@code demo}
     * @param reader reads one OID, throwing {@link SysctlException} with the errno as {@link #read} documents
     * @return the source
     */
    static SysctlSource of(String uri, OidReader reader) {
        return new SysctlSource() {
            @Override
            public byte[] read(String oid) throws SysctlException {
                return reader.read(oid);
            }

            @Override
            public String uri() {
                return uri;
            }
        };
    }

    /** Reads one OID's whole value; the shape of {@link #read}, for {@link #of(String, OidReader)}. */
    @FunctionalInterface
    interface OidReader {
        /**
         * Reads {@code oid}.
         *
         * @param oid a dotted OID name
         * @return the value bytes
         * @throws SysctlException as {@link SysctlSource#read} documents
         */
        byte[] read(String oid) throws SysctlException;
    }
}
