package org.memstat.uma.malloc;

import org.memstat.uma.SampleTag;

/**
 * A malloc type ({@code struct malloc_type}, made by {@code MALLOC_DEFINE}): a name under which allocations are
 * counted. Obtain one from {@link Malloc#define(String)}; it belongs to that {@link Malloc} only. Sampled
 * allocations of the malloc zones carry it as their {@link SampleTag}.
 */
public final class MallocType implements SampleTag {
    final Malloc owner;
    final String name;
    /** Registration index, also the index of this type's counters. */
    final int id;

    MallocType(Malloc owner, String name, int id) {
        this.owner = owner;
        this.name = name;
        this.id = id;
    }

    /** The name ({@code ks_shortdesc}), at most 31 bytes of UTF-8, as the stream's 32-byte field holds it. */
    public String name() {
        return name;
    }

    /** The name, which tags this type's sampled allocations. */
    @Override
    public String sampleTag() {
        return name;
    }

    @Override
    public String toString() {
        return "MallocType[" + name + "]";
    }
}
