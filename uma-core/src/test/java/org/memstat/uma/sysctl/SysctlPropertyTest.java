package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Tries;

/** Random OID trees: every registered leaf is listed exactly once, in order, and reads back its value. */
class SysctlPropertyTest {

    private static final List<String> COMPONENTS = List.of("a", "b", "kern", "vm", "ipc", "z_1", "Zz", "A-b", "x9");

    @Test
    void everyLeafIsListedOnceInOrderAndReadsBack() {
        Tries.run(300, rnd -> checkTree(names(rnd)));
    }

    /** 1 to 60 dotted names of 1 to 5 components each, repeats and prefixes of each other included. */
    private static List<String> names(SplittableRandom rnd) {
        List<String> names = new ArrayList<>();
        for (int i = 0, n = Tries.between(rnd, 1, 60); i < n; i++) {
            List<String> parts = new ArrayList<>();
            for (int j = 0, m = Tries.between(rnd, 1, 5); j < m; j++) {
                parts.add(COMPONENTS.get(rnd.nextInt(COMPONENTS.size())));
            }
            names.add(String.join(".", parts));
        }
        return names;
    }

    private static void checkTree(List<String> candidates) {
        Sysctl sysctl = new Sysctl();
        Map<String, Long> leaves = new LinkedHashMap<>();
        for (String name : candidates) {
            if (conflicts(name, leaves)) {
                continue;
            }
            long value = name.hashCode() * 0x9E3779B97F4A7C15L;
            sysctl.addLong(name, "leaf " + name, () -> value);
            leaves.put(name, value);
        }

        List<OidInfo> all = new ArrayList<>();
        assertThat(sysctl.list("", true, all)).isZero();
        List<String> listedLeaves = all.stream().filter(i -> !i.isNode()).map(OidInfo::name).toList();
        assertThat(listedLeaves).containsExactlyInAnyOrderElementsOf(leaves.keySet());
        assertThat(listedLeaves).doesNotHaveDuplicates();

        // Pre-order depth-first with children in component order equals sorting by the component lists.
        List<String> listed = all.stream().map(OidInfo::name).toList();
        assertThat(listed).isSortedAccordingTo(Comparator.comparing(n -> List.of(n.split("\\.")),
                SysctlPropertyTest::compareComponents));
        for (OidInfo info : all) {
            String parent = info.name().contains(".") ? info.name().substring(0, info.name().lastIndexOf('.')) : "";
            assertThat(parent.isEmpty() || listed.indexOf(parent) < listed.indexOf(info.name())).isTrue();
        }

        for (Map.Entry<String, Long> leaf : leaves.entrySet()) {
            ByteBuffer b = ByteBuffer.allocate(8);
            assertThat(sysctl.read(leaf.getKey(), b)).isEqualTo(new SysctlResult(0, 8));
            assertThat(b.flip().order(ByteOrder.nativeOrder()).getLong()).isEqualTo(leaf.getValue());
        }
    }

    private static boolean conflicts(String name, Map<String, Long> leaves) {
        for (String leaf : leaves.keySet()) {
            if (leaf.equals(name) || leaf.startsWith(name + ".") || name.startsWith(leaf + ".")) {
                return true;
            }
        }
        return false;
    }

    private static int compareComponents(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
