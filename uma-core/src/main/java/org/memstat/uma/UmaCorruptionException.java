package org.memstat.uma;

/**
 * Thrown by debug mode when it catches misuse: a double free, a duplicate allocation, a free of a foreign or
 * unaligned pointer, or memory modified after free. UMA panics in these cases; the message names the zone,
 * the slab, the item index and the offset, as UMA's panic strings do.
 */
public final class UmaCorruptionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was caught and where
     */
    public UmaCorruptionException(String message) {
        super(message);
    }
}
