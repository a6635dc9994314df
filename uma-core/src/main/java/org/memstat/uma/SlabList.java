package org.memstat.uma;

/** An intrusive doubly linked list of slabs (UMA's {@code LIST_HEAD(,uma_slab)}), guarded by the keg lock. */
final class SlabList {
    private Slab head;

    Slab first() {
        return head;
    }

    void add(Slab s) {
        s.list = this;
        s.prev = null;
        s.next = head;
        if (head != null) {
            head.prev = s;
        }
        head = s;
    }

    void remove(Slab s) {
        if (s.prev != null) {
            s.prev.next = s.next;
        } else {
            head = s.next;
        }
        if (s.next != null) {
            s.next.prev = s.prev;
        }
        s.prev = null;
        s.next = null;
        s.list = null;
    }

    void moveTo(Slab s, SlabList target) {
        if (s.list != target) {
            remove(s);
            target.add(s);
        }
    }
}
