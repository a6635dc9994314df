package org.memstat.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * glibc through FFM, shared by {@link BaselineBenchmark} (malloc/free cost) and the memory benchmarks
 * ({@link MemoryPeer}: malloc/free/malloc_trim footprint). Restricted methods (reinterpret, downcallHandle) are
 * used only here; the forks run with {@code --enable-native-access}.
 */
final class Libc {
    /**
     * One "everything" segment ({@code MemorySegment.NULL} reinterpreted to {@code Long.MAX_VALUE} bytes), through
     * which native memory is written at a raw address, the way an address-based allocator would.
     */
    @SuppressWarnings("restricted")
    static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final Linker LINKER = Linker.nativeLinker();

    /** {@code void *malloc(size_t)}, critical downcall (no thread-state transition). */
    static final MethodHandle MALLOC_CRITICAL = downcall("malloc",
            FunctionDescriptor.of(ADDRESS, JAVA_LONG), Linker.Option.critical(false));
    /** {@code void free(void *)}, critical downcall. */
    static final MethodHandle FREE_CRITICAL = downcall("free",
            FunctionDescriptor.ofVoid(ADDRESS), Linker.Option.critical(false));
    /** {@code int malloc_trim(size_t pad)}: an ordinary downcall, it may take milliseconds. */
    static final MethodHandle MALLOC_TRIM = downcall("malloc_trim", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));

    private Libc() {
    }

    /** A downcall handle for a libc symbol; fails at class initialisation if the symbol is missing. */
    @SuppressWarnings("restricted")
    static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }
}
