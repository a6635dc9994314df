package org.memstat.lib;

/**
 * Which kernel allocator a {@link MemoryType} belongs to: libmemstat's {@code ALLOCATOR_*} constants
 * (reference §3.1) with their numeric values.
 */
public enum Allocator {
    /** {@code ALLOCATOR_UNKNOWN} (0): never produced by a refresh, kept for code-compatibility. */
    UNKNOWN(0),
    /** {@code ALLOCATOR_MALLOC} (1): a malloc(9) type from {@code kern.malloc_stats}. */
    MALLOC(1),
    /** {@code ALLOCATOR_UMA} (2): a UMA zone from {@code vm.zone_stats}. */
    UMA(2),
    /** {@code ALLOCATOR_ANY} (255): only meaningful as a {@link MemoryTypeList#find} wildcard. */
    ANY(255);

    private final int code;

    Allocator(int code) {
        this.code = code;
    }

    /**
     * Returns libmemstat's numeric value for this allocator.
     *
     * @return 0, 1, 2 or 255
     */
    public int code() {
        return code;
    }

    /**
     * Returns the allocator with libmemstat's numeric value {@code code}.
     *
     * @param code 0, 1, 2 or 255
     * @return the matching constant
     * @throws IllegalArgumentException for any other value
     */
    public static Allocator fromCode(int code) {
        for (Allocator a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("no allocator with code " + code);
    }

    /** True when a type of allocator {@code actual} is matched by a search for this allocator. */
    boolean matches(Allocator actual) {
        return this == ANY || this == actual;
    }
}
