package org.memstat.pprof;

import java.util.List;
import org.memstat.lib.SampleFrame;
import org.memstat.lib.SampleProfile;
import org.memstat.lib.SampleSite;
import org.memstat.lib.ZoneSamples;

/** Sample profiles shared by the tests: small, with every case the builder distinguishes. */
final class Fixtures {
    static final long RATE = 512 * 1024;
    static final long TAKEN = 1_700_000_000_123_456_789L;
    static final long TAKEN_LATER = TAKEN + 5_000_000_000L;

    static final SampleFrame OPEN = new SampleFrame("org.example.ConnTable", "open", "ConnTable.java", 42);
    static final SampleFrame ACCEPT = new SampleFrame("org.example.Server", "accept", "Server.java", 17);
    /** Same function as {@link #ACCEPT}, another line: a second location of one function. */
    static final SampleFrame ACCEPT_99 = new SampleFrame("org.example.Server", "accept", "Server.java", 99);
    /** No file, no line. */
    static final SampleFrame PUT = new SampleFrame("org.example.Cache", "put", "", -1);
    static final SampleFrame MAIN = new SampleFrame("org.example.Main", "main", "Main.java", 5);

    /** packet: the largest in-use site. */
    static final SampleSite CONN = new SampleSite("", List.of(OPEN, ACCEPT), RATE, 10, 10 * 256, 4, 4 * 256, 1);
    /** malloc-4096, tagged: the largest allocating site, fewer bytes in use than {@link #CONN}. */
    static final SampleSite CACHE = new SampleSite("devbuf", List.of(PUT, ACCEPT), RATE, 20, 20 * 4096, 3,
            3 * 4096, 1);
    /** mbuf at rate 1: exact, all freed. */
    static final SampleSite MBUF = new SampleSite("", List.of(ACCEPT_99, MAIN), 1, 100, 100 * 256, 0, 0, 0);
    /** Nothing at all: left out of the profile. */
    static final SampleSite EMPTY = new SampleSite("", List.of(MAIN), RATE, 0, 0, 0, 0, 0);

    /** Sampling off (rate 0) and an empty site first, so the period comes from the next zone. */
    static final ZoneSamples IDLE = new ZoneSamples("idle", 0, 64, List.of(EMPTY));
    static final ZoneSamples PACKET = new ZoneSamples("packet", RATE, 256, List.of(CONN));
    static final ZoneSamples MALLOC = new ZoneSamples("malloc-4096", RATE, 4096, List.of(CACHE));
    static final ZoneSamples MBUFS = new ZoneSamples("mbuf", 1, 256, List.of(MBUF));

    /** One source's read: every zone above. */
    static final SampleProfile APP = new SampleProfile(TAKEN, List.of(IDLE, PACKET, MALLOC, MBUFS));

    /** An earlier read of {@link #APP}'s packet zone with half the bytes in use: a diff base. */
    static final SampleProfile APP_BEFORE = new SampleProfile(TAKEN - 60_000_000_000L, List.of(
            new ZoneSamples("packet", RATE, 256,
                    List.of(new SampleSite("", List.of(OPEN, ACCEPT), RATE, 8, 8 * 256, 2, 2 * 256, 1))),
            MALLOC));

    /** A second source, taken later, its packet site on the same stack as {@link #CONN}. */
    static final SampleProfile DB = new SampleProfile(TAKEN_LATER, List.of(
            new ZoneSamples("packet", RATE * 2, 256,
                    List.of(new SampleSite("", List.of(OPEN, ACCEPT), RATE * 2, 1, 256, 1, 256, 1))),
            MALLOC));

    private Fixtures() {
    }
}
