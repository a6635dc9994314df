package org.memstat.lib;

/**
 * libmemstat's error codes ({@code MEMSTAT_ERROR_*}, reference §3.1) with the exact texts of
 * {@code memstat_strerror}.
 *
 * <p>Code 4 ({@code MEMSTAT_ERROR_TOOMANYCPUS}) existed only in the 2005-9.x headers and is absent here, as in
 * current FreeBSD; {@link #strerror(int)} answers "Unknown error" for it, as the current library does. An
 * implausible {@code maxcpus} is reported as {@link #DATAERROR} instead.
 */
public enum MemstatError {
    /** 0: no error recorded. */
    UNDEFINED(0, "Unknown error"),
    /** 1: an allocation failed, or a stream kept changing size on every retry. */
    NOMEMORY(1, "Cannot allocate memory"),
    /** 2: the stream's version word is wrong, the stream is shorter than its header, or a source read failed. */
    VERSION(2, "Version mismatch"),
    /** 3: the source refused access ({@code EACCES} or {@code EPERM}). */
    PERMISSION(3, "Permission denied"),
    /** 5: the stream's contents do not match its header (lengths, names, maxcpus), or a scalar was malformed. */
    DATAERROR(5, "Data format error"),
    /** 6: a kvm(3) error; never produced by this library (there is no kvm path), kept for the code table. */
    KVM(6, "KVM error"),
    /** 7: a kvm(3) symbol lookup error; never produced by this library. */
    KVM_NOSYMBOL(7, "KVM unable to find symbol"),
    /** 8: a kvm(3) short read; never produced by this library. */
    KVM_SHORTREAD(8, "KVM short read");

    private final int code;
    private final String text;

    MemstatError(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /**
     * Returns libmemstat's numeric code.
     *
     * @return the {@code MEMSTAT_ERROR_*} value
     */
    public int code() {
        return code;
    }

    /**
     * Returns the text {@code memstat_strerror} gives for this code.
     *
     * @return for example "Version mismatch"
     */
    public String text() {
        return text;
    }

    /**
     * {@code memstat_strerror}: the text for any numeric code, "Unknown error" for codes not in the table.
     *
     * @param code a {@code MEMSTAT_ERROR_*} value
     * @return its text
     */
    public static String strerror(int code) {
        for (MemstatError e : values()) {
            if (e.code == code) {
                return e.text;
            }
        }
        return UNDEFINED.text;
    }
}
