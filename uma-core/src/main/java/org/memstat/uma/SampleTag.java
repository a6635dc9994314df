package org.memstat.uma;

/**
 * An allocation argument that says what an allocation is for. A sampled allocation whose {@code arg} implements
 * it carries the tag beside its stack (docs/PROFILES.md); the malloc(9) layer passes its {@code MallocType}, so
 * the samples of {@code malloc-256} name the malloc type too.
 */
public interface SampleTag {
    /**
     * The tag.
     *
     * @return for example a malloc type's name
     */
    String sampleTag();
}
