package org.memstat.uma.malloc;

/**
 * malloc(9)'s size classes: the 14 bucket zones of current FreeBSD ({@code kmemzones}) and the large classes
 * above {@code kmem_zmax} that stand in for {@code malloc_large}'s page runs.
 *
 * <p>Small sizes are rounded up to 16 bytes ({@code KMEM_ZBASE}) and looked up in a table indexed by
 * {@code size >> 4}, as {@code kmemsize[]} is: 0 to 16 bytes go to {@code malloc-16}, 17 to 32 to
 * {@code malloc-32}, 257 to 384 to {@code malloc-384}, 385 to 512 to {@code malloc-512}.
 *
 * <p>Large sizes are accounted as FreeBSD accounts them, {@code round_page(size)}, but are served from a zone of
 * the next large class: four classes per power of two (80 KiB, 96 KiB, 112 KiB, 128 KiB, 160 KiB, ...), all
 * page multiples, so at most a fifth of a class is slack and the number of zones stays logarithmic.
 */
final class SizeClasses {
    /** The zone sizes, {@code vm.malloc.zone_sizes}; bit {@code i} of {@code mts_size} means {@code SIZES[i]}. */
    static final int[] SIZES = {16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
    /** {@code kmem_zmax}: the largest size served by a bucket zone. */
    static final int ZMAX = SIZES[SIZES.length - 1];
    static final int PAGE_SHIFT = 12;
    static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    private static final int ZSHIFT = 4;
    private static final byte[] INDEX = new byte[(ZMAX >> ZSHIFT) + 1];

    static {
        int z = 0;
        for (int i = 0; i < INDEX.length; i++) {
            while (SIZES[z] < (i << ZSHIFT)) {
                z++;
            }
            INDEX[i] = (byte) z;
        }
    }

    private SizeClasses() {
    }

    /** The zone index for {@code 0 <= size <= ZMAX}. */
    static int index(long size) {
        return INDEX[(int) ((size + (1 << ZSHIFT) - 1) >>> ZSHIFT)];
    }

    /** {@code round_page(size)}. */
    static long roundPage(long size) {
        return (size + PAGE_SIZE - 1) & -PAGE_SIZE;
    }
}
