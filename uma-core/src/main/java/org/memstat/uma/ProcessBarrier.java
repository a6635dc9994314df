package org.memstat.uma;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * The heavy side of an asymmetric fence: when {@link #serialize()} returns, every thread of the process has
 * executed a full memory barrier since the call began, so a store it made before that point is visible to the
 * caller, and a load it makes afterwards sees the caller's earlier stores. This lets the light side, the
 * per-thread cache fast path, order its own store before its own load with a compiler barrier only, instead of
 * a {@code StoreLoad} fence it would pay on every operation (the technique of Linux's {@code membarrier(2)}
 * man page, of userspace RCU and of Folly's {@code asymmetricHeavyBarrier}).
 *
 * <p>On Linux it is {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)} (an IPI to every CPU running a thread
 * of this process), registered once. Elsewhere, or where the kernel refuses, it closes a fresh shared
 * {@link Arena}: HotSpot implements that close as a handshake with every Java thread, each of which passes a
 * full barrier on the way. The fallback is an implementation property of HotSpot rather than a specified one,
 * which is why membarrier comes first.
 */
final class ProcessBarrier {
    private static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3;
    private static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
    private static final MethodHandle SYSCALL;
    private static final long SYS_MEMBARRIER;
    private static final boolean MEMBARRIER;

    static {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        long nr = arch.equals("amd64") || arch.equals("x86_64") ? 324 : arch.equals("aarch64") ? 283 : -1;
        MethodHandle h = null;
        boolean ok = false;
        if (linux && nr > 0) {
            try {
                h = bind();
                ok = (long) h.invokeExact(nr, (long) MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0L) == 0;
            } catch (Throwable t) {
                ok = false;
            }
        }
        SYSCALL = h;
        SYS_MEMBARRIER = nr;
        MEMBARRIER = ok;
    }

    private ProcessBarrier() {
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bind() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    /** Which mechanism {@link #serialize()} uses, for the documentation and the tests. */
    static String mechanism() {
        return MEMBARRIER ? "membarrier" : "arena handshake";
    }

    /** Returns once every thread of the process has passed a full memory barrier. */
    static void serialize() {
        if (MEMBARRIER) {
            try {
                if ((long) SYSCALL.invokeExact(SYS_MEMBARRIER, (long) MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0L) == 0) {
                    return;
                }
            } catch (Throwable t) {
                // fall through to the handshake
            }
        }
        Arena.ofShared().close();
    }
}
