package org.memstat.uma;

/**
 * Finds the slab of an item from its address (UMA's {@code vtoslab}: "stash the slab pointer in the page").
 *
 * <p>A two-level page table over the page source's range: a fixed directory of leaves of 512 pages, a leaf
 * made the first time a slab lands in it. Writers are kegs installing or removing a slab, serialized by the
 * table's monitor. Readers do not lock: a reader that got an item legitimately got it through a keg or a
 * bucket hand-off that happened after the slab was installed, so it sees the entry; a reader with a foreign
 * pointer may see a stale entry, which the debug checks report as foreign anyway.
 */
final class SlabTable {
    private static final int LEAF_SHIFT = 9;
    private static final int LEAF_SIZE = 1 << LEAF_SHIFT;

    private final PageSource pages;
    private final Slab[][] dir;

    SlabTable(PageSource pages) {
        this.pages = pages;
        this.dir = new Slab[(pages.npages + LEAF_SIZE - 1) >>> LEAF_SHIFT][];
    }

    /** The slab containing {@code addr}, or null when no slab owns that page (or the address is foreign). */
    Slab lookup(long addr) {
        if (!pages.contains(addr)) {
            return null;
        }
        int page = pages.pageIndex(addr);
        Slab[] leaf = dir[page >>> LEAF_SHIFT];
        return leaf == null ? null : leaf[page & (LEAF_SIZE - 1)];
    }

    synchronized void install(Slab slab, int ppera) {
        set(slab.base, ppera, slab);
    }

    synchronized void remove(Slab slab, int ppera) {
        set(slab.base, ppera, null);
    }

    private void set(long base, int ppera, Slab value) {
        int first = pages.pageIndex(base);
        for (int p = first; p < first + ppera; p++) {
            Slab[] leaf = dir[p >>> LEAF_SHIFT];
            if (leaf == null) {
                leaf = new Slab[LEAF_SIZE];
                dir[p >>> LEAF_SHIFT] = leaf;
            }
            leaf[p & (LEAF_SIZE - 1)] = value;
        }
    }
}
