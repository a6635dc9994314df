package org.memstat.cli;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;

/**
 * What {@code sysctl} knows about a source's OIDs: the source's own listing when it has one
 * ({@link ListableSource}), else the {@link KnownOids} the source answers, with kinds guessed from the values of
 * others. A name with no value but with OIDs below it is a node.
 */
final class OidTable {
    private final SysctlSource source;
    private List<OidEntry> listing;
    private ByteOrder order;

    OidTable(SysctlSource source) {
        this.source = source;
    }

    /** Every leaf, in tree order, at or below {@code node} ("" for all). */
    List<OidEntry> leaves(String node) {
        List<OidEntry> out = new ArrayList<>();
        for (OidEntry e : listing()) {
            if (e.kind() != OidKind.NODE && (node.isEmpty() || e.name().startsWith(node + "."))) {
                out.add(e);
            }
        }
        return out;
    }

    OidEntry describe(String name) throws SysctlException {
        try {
            if (source instanceof ListableSource l) {
                return l.describe(name);
            }
            OidEntry known = KnownOids.ALL.get(name);
            byte[] v = source.read(name);
            return known != null ? known : DirSource.guess(name, v);
        } catch (SysctlException e) {
            if (e.errno() == Errno.ENOENT && !name.isEmpty() && !leaves(name).isEmpty()) {
                return new OidEntry(name, OidKind.NODE, "", false);
            }
            throw e;
        }
    }

    ByteOrder order() {
        if (order == null) {
            try {
                order = source instanceof ListableSource l ? l.order() : StreamOrder.of(source);
            } catch (SysctlException e) {
                throw Errors.of(source.uri(), e);
            }
        }
        return order;
    }

    private List<OidEntry> listing() {
        if (listing == null) {
            try {
                listing = source instanceof ListableSource l ? l.list() : known();
            } catch (SysctlException e) {
                throw Errors.of(source.uri(), e);
            }
        }
        return listing;
    }

    /** The known OIDs this source answers, for sources that cannot list. */
    private List<OidEntry> known() {
        List<String> names = new ArrayList<>(KnownOids.ALL.keySet());
        names.sort(DirSource.TREE_ORDER);
        List<OidEntry> out = new ArrayList<>();
        for (String n : names) {
            try {
                source.read(n);
                out.add(KnownOids.ALL.get(n));
            } catch (SysctlException e) {
                // Not on this source: not listed.
            }
        }
        return out;
    }
}
