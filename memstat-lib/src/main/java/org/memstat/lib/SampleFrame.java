package org.memstat.lib;

import java.util.Objects;

/**
 * One Java frame of a sampled allocation's stack, as {@code vm.zone_samples} carries it (docs/PROFILES.md).
 *
 * @param className the class's binary name, for example {@code org.example.ConnTable}
 * @param method    the method's name
 * @param file      the source file's name, {@code ""} when unknown
 * @param line      the line number, -1 when unknown
 */
public record SampleFrame(String className, String method, String file, int line) {
    /** Checks the strings are present. */
    public SampleFrame {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(file, "file");
    }

    /**
     * The frame as a Java stack trace prints it.
     *
     * @return {@code org.example.ConnTable.open(ConnTable.java:42)}
     */
    @Override
    public String toString() {
        String where = file.isEmpty() ? "Unknown Source" : line >= 0 ? file + ":" + line : file;
        return className + "." + method + "(" + where + ")";
    }
}
