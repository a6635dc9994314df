package org.memstat.uma.sysctl;

/**
 * OID name rules: dot-separated components of visible ASCII ({@code 0x21-0x7e}) without {@code '.'}; the empty name
 * is the root node. Restricting names to ASCII makes {@link String#compareTo} the byte order the protocol promises.
 */
final class OidName {
    private OidName() {
    }

    /** {@return 0 for a well-formed name, {@link Errno#ENAMETOOLONG} or {@link Errno#ENOENT} otherwise} */
    static int check(String name) {
        if (name.length() > Sysctl.MAX_NAME_LENGTH) {
            return Errno.ENAMETOOLONG;
        }
        return problem(name) == null ? Errno.OK : Errno.ENOENT;
    }

    /** Throws for a name that cannot be registered (programming error). */
    static void require(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("OID name is empty (the root cannot be registered)");
        }
        if (name.length() > Sysctl.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("OID name longer than " + Sysctl.MAX_NAME_LENGTH + " bytes");
        }
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("bad OID name \"" + name + "\": " + problem);
        }
    }

    private static String problem(String name) {
        if (name.isEmpty()) {
            return null;
        }
        int componentStart = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (i == componentStart) {
                    return "empty component at index " + i;
                }
                componentStart = i + 1;
            } else if (c < 0x21 || c > 0x7e) {
                return "character 0x" + Integer.toHexString(c) + " at index " + i + " is not visible ASCII";
            }
        }
        return componentStart == name.length() ? "ends with '.'" : null;
    }

    /** {@return the name of the parent node; "" for a top-level name} */
    static String parent(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** {@return the last component} */
    static String last(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
