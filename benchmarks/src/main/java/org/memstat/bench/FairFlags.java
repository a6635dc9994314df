package org.memstat.bench;

/**
 * The JVM flags every benchmark fork runs with (ALLOCATORS.md section 7 item 2), as compile-time
 * constants so that each {@code @Fork(jvmArgsAppend = {...})} can list them.
 *
 * <p>Why each one: an equal, pre-touched heap keeps page faults and heap resizing out of the
 * timings ({@code new byte[]} ranged 25-2,000 ns/op without pre-touch on our VM); the GC is named
 * because ergonomics picks Serial on small machines; native access is enabled so FFM downcalls and
 * {@code reinterpret} run without warnings; the last four give Netty its {@code Unsafe} and
 * {@code DirectByteBuffer} fast paths and turn off leak sampling, without which Netty would be
 * measured on a slower path than it runs in production. {@code bin/bench} passes the same list to
 * the host JVM; {@code bin/test-scripts.sh} checks that the two lists agree.
 */
public final class FairFlags {
    /** Initial heap, equal to the maximum so the heap never resizes. */
    public static final String XMS = "-Xms2g";
    /** Maximum heap (Netty's default direct-memory limit follows it). */
    public static final String XMX = "-Xmx2g";
    /** Touch every heap page at start-up so no iteration pays first-touch faults. */
    public static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";
    /** A fixed collector, whatever the machine's size. */
    public static final String GC = "-XX:+UseG1GC";
    /** FFM downcalls and {@code MemorySegment.reinterpret} without warnings. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Netty still uses {@code sun.misc.Unsafe}; JDK 24+ warns on first use unless allowed. */
    public static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";
    /** Lets Netty reach {@code DirectByteBuffer}'s constructor and cleaner. */
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** Netty only tries the reflective fast paths above when this is set on JDK 9+. */
    public static final String NETTY_REFLECTION = "-Dio.netty.tryReflectionSetAccessible=true";
    /** Leak detection samples 1 in 128 buffers by default: a cost real servers turn off. */
    public static final String NETTY_NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    /** Use JMH's custom executor for the worker threads (FTL benchmark classes only). */
    public static final String EXECUTOR_CUSTOM = "-Djmh.executor=CUSTOM";
    /** ... and make it {@link FastThreadExecutor}, whose threads are Netty FastThreadLocalThreads. */
    public static final String EXECUTOR_FTL = "-Djmh.executor.class=org.memstat.bench.FastThreadExecutor";

    private FairFlags() {
    }
}
