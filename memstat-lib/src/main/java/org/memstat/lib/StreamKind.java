package org.memstat.lib;

/** The two statistics streams: where they live and how big their records are. */
enum StreamKind {
    UMA("vm.zone_stats", Allocator.UMA, StreamLayout.UTH_BYTES, StreamLayout.UPS_BYTES),
    MALLOC("kern.malloc_stats", Allocator.MALLOC, StreamLayout.MTH_BYTES, StreamLayout.MTS_BYTES);

    final String oid;
    final Allocator allocator;
    /** Bytes of the per-type header that precedes the per-CPU records; the name is always at offset 0. */
    final int typeHeaderBytes;
    final int perCpuBytes;

    StreamKind(String oid, Allocator allocator, int typeHeaderBytes, int perCpuBytes) {
        this.oid = oid;
        this.allocator = allocator;
        this.typeHeaderBytes = typeHeaderBytes;
        this.perCpuBytes = perCpuBytes;
    }

    /** True for the OID of either stream, whose value is raw and whose version word reveals the byte order. */
    static boolean isStream(String oid) {
        return oid.equals(UMA.oid) || oid.equals(MALLOC.oid);
    }
}
