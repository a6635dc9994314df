package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body pool's accounting: a buffer is reused only after every user released it, and never while one holds it. */
class BodiesTest {
    private static String text(ByteBuffer b) {
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    private static ByteSink sink(Bodies bodies, String s) {
        ByteSink k = bodies.sink();
        k.ascii(s);
        return k;
    }

    @Test
    void keepsABodyIntactUntilItsLastUserReleasesIt() {
        Bodies bodies = new Bodies();
        Bodies.Body a = bodies.publish(sink(bodies, "first body"), 2);
        a.release();
        Bodies.Body b = bodies.publish(sink(bodies, "second one"), 1);
        assertThat(text(a.view())).isEqualTo("first body");
        assertThat(text(b.view())).isEqualTo("second one");
        a.release();
        b.release();
        Bodies.Body c = bodies.publish(sink(bodies, "third"), 1);
        Bodies.Body d = bodies.publish(sink(bodies, "fourth"), 1);
        assertThat(text(c.view())).isEqualTo("third");
        assertThat(text(d.view())).isEqualTo("fourth");
        assertThat(c.size()).isEqualTo(5);
    }

    @Test
    void reusesAReleasedBufferThatIsLargeEnough() {
        Bodies bodies = new Bodies();
        Bodies.Body a = bodies.publish(sink(bodies, "x".repeat(1000)), 1);
        ByteBuffer first = a.view();
        a.release();
        Bodies.Body b = bodies.publish(sink(bodies, "y".repeat(900)), 1);
        // The released buffer now holds the new body: the old view sees it (views share the memory).
        assertThat(text(first.duplicate().limit(900))).isEqualTo("y".repeat(900));
        assertThat(text(b.view())).isEqualTo("y".repeat(900));
    }

    @Test
    void handsOutFreshSinksAndTakesBackDiscardedOnesEmpty() {
        Bodies bodies = new Bodies();
        ByteSink s = sink(bodies, "abc");
        bodies.discard(s);
        ByteSink again = bodies.sink();
        assertThat(again).isSameAs(s);
        assertThat(again.size()).isZero();
    }
}
