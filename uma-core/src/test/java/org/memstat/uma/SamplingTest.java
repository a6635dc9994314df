package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memstat.uma.malloc.Malloc;
import org.memstat.uma.malloc.MallocType;
import org.memstat.uma.mbuf.Mbuf;
import org.memstat.uma.mbuf.Mbufs;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidInfo;
import org.memstat.uma.sysctl.SysctlResult;

/** Per-zone allocation sampling: who allocated, what is still held, the rate as an OID, and the leak report. */
class SamplingTest {
    private final List<String> console = new ArrayList<>();
    private final Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(2).trimInterval(Duration.ZERO)
            .console(console::add).sampleSeed(42).build();

    @AfterEach
    void close() {
        uma.close();
    }

    private Zone zone(String name, int size) {
        return uma.zcreate(name, size, null, null, null, null, Uma.ALIGN_PTR, 0);
    }

    /** The line of the allocation on the line after the call; see {@link #allocHere}. */
    private static int nextLine() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
    }

    private static int lineOf(ZoneSampler.SiteView v) {
        return v.key().frames().get(0).line();
    }

    @Test
    void startsEveryZoneAtTheBuilderRateAndBucketZonesAtZero() {
        assertThat(zone("z", 64).sampleRate()).isEqualTo(512 * 1024);
        assertThat(uma.bucketZones[0].sampler.rate()).isZero();
        try (Uma other = Uma.builder().kmemSize(16L << 20).sampleRate(4096).build()) {
            assertThat(other.zcreate("y", 64, null, null, null, null, 0, 0).sampleRate()).isEqualTo(4096);
        }
        assertThatThrownBy(() -> Uma.builder().sampleRate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uma.bucketZones[0].setSampleRate(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void atRateOneSamplesEveryAllocationWithTheCallerAsFirstFrame() {
        Zone z = zone("every", 128);
        z.setSampleRate(1);
        long[] items = new long[1000];
        int line = nextLine();
        for (int i = 0; i < items.length; i++) { items[i] = z.alloc(Uma.M_WAITOK); }
        List<ZoneSampler.SiteView> sites = z.sampler.sites();
        assertThat(sites).hasSize(1);
        ZoneSampler.SiteView v = sites.get(0);
        assertThat(v.allocs()).isEqualTo(1000);
        assertThat(v.inuse()).isEqualTo(1000);
        ZoneSampler.Frame top = v.key().frames().get(0);
        assertThat(top.className()).isEqualTo(SamplingTest.class.getName());
        assertThat(top.method()).isEqualTo("atRateOneSamplesEveryAllocationWithTheCallerAsFirstFrame");
        assertThat(top.file()).isEqualTo("SamplingTest.java");
        assertThat(top.line()).isEqualTo(line);
        assertThat(v.oldestNanos()).isPositive();
        for (int i = 0; i < 600; i++) {
            z.free(items[i]);
        }
        assertThat(z.sampler.sites().get(0).inuse()).isEqualTo(400);
        assertThat(z.sampler.sites().get(0).allocs()).isEqualTo(1000);
        for (int i = 600; i < items.length; i++) {
            z.free(items[i]);
        }
        assertThat(z.sampler.liveCount()).isZero();
        assertThat(pagesMarked()).as("no page marked once every sample is freed").isZero();
    }

    @Test
    void offSamplesNothingAndLeavesNoMarks() {
        Zone z = zone("off", 256);
        z.setSampleRate(0);
        List<Long> items = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            items.add(z.alloc(Uma.M_WAITOK));
        }
        assertThat(z.sampler.sites()).isEmpty();
        assertThat(pagesMarked()).isZero();
        items.forEach(z::free);
    }

    @Test
    void takesAboutOneSamplePerRateBytes() {
        Zone z = zone("rate", 256);
        z.setSampleRate(64 * 1024);
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            z.free(z.alloc(Uma.M_WAITOK));
        }
        // Each allocation is sampled with p = 1 - exp(-256 / 65536): about 3,900 of them, sd about 62.
        double p = -Math.expm1(-256.0 / (64 * 1024));
        long samples = z.sampler.sites().stream().mapToLong(ZoneSampler.SiteView::allocs).sum();
        assertThat((double) samples).isCloseTo(n * p, org.assertj.core.data.Offset.offset(5 * Math.sqrt(n * p)));
        assertThat(z.sampler.liveCount()).isZero();
    }

    @Test
    void aNewRateReachesAThreadThatOnlyUsesItsFastPath() {
        Zone z = zone("switch", 64);
        z.setSampleRate(0);
        // Warm this thread's cache: from here on, alloc/free pairs never leave the fast path by themselves.
        for (int i = 0; i < 1000; i++) {
            z.free(z.alloc(Uma.M_WAITOK));
        }
        SysctlResult r = uma.sysctl().write("vm.uma.switch.sample_rate", longValue(1));
        assertThat(r.errno()).isEqualTo(Errno.OK);
        assertThat(z.sampleRate()).isEqualTo(1);
        long a = z.alloc(Uma.M_WAITOK);
        long b = z.alloc(Uma.M_WAITOK);
        assertThat(z.sampler.liveCount()).isEqualTo(2);
        z.free(a);
        z.free(b);
        assertThat(z.sampler.liveCount()).isZero();
        assertThat(uma.sysctl().write("vm.uma.switch.sample_rate", longValue(-1)).errno()).isEqualTo(Errno.EINVAL);
        assertThat(uma.sysctl().write("vm.uma.switch.sample_rate", longValue((1L << 40) + 1)).errno())
                .isEqualTo(Errno.EINVAL);
        assertThat(z.sampleRate()).isEqualTo(1);
    }

    @Test
    void namesZoneNodesAsFreeBsdDoesAndRemovesThemWithTheZone() {
        Zone a = zone("malloc-256", 256);
        Zone b = zone("malloc-256", 256);
        Zone c = zone("a.b/c\\d e", 32);
        assertThat(uma.sysctl().describe("vm.uma.malloc_256.sample_rate")).isPresent();
        assertThat(uma.sysctl().describe("vm.uma.malloc_256_1.sample_rate")).isPresent();
        Optional<OidInfo> info = uma.sysctl().describe("vm.uma.a_b_c_d_e.sample_rate");
        assertThat(info).isPresent();
        assertThat(info.get().format()).isEqualTo("LU");
        assertThat(info.get().writable()).isTrue();
        b.destroy();
        assertThat(uma.sysctl().describe("vm.uma.malloc_256_1")).isEmpty();
        assertThat(uma.sysctl().describe("vm.uma.malloc_256.sample_rate")).isPresent();
        a.destroy();
        c.destroy();
        List<OidInfo> left = new ArrayList<>();
        uma.sysctl().list("vm.uma", true, left);
        assertThat(left).isEmpty();
    }

    @Test
    void mallocSamplesAreTaggedWithTheirTypeInTheirZone() {
        Malloc malloc = Malloc.create(uma);
        MallocType type = malloc.define("sessions");
        Zone z = uma.zones().stream().filter(x -> x.name().equals("malloc-256")).findFirst().orElseThrow();
        z.setSampleRate(1);
        int line = nextLine();
        long p = malloc.malloc(200, type, Uma.M_WAITOK);
        ZoneSampler.SiteView v = z.sampler.sites().get(0);
        assertThat(v.key().tag()).isEqualTo("sessions");
        assertThat(lineOf(v)).isEqualTo(line);
        malloc.free(p, type);
        assertThat(z.sampler.liveCount()).isZero();
    }

    @Test
    void mbufClustersAreAttributedToTheCallerOfClget() {
        Mbufs mbufs = Mbufs.create(Malloc.create(uma));
        mbufs.clusterZone().setSampleRate(1);
        long m = mbufs.m_gethdr(Uma.M_WAITOK, Mbuf.MT_DATA);
        int line = nextLine();
        assertThat(mbufs.m_clget(m, Uma.M_WAITOK)).isTrue();
        ZoneSampler.SiteView v = mbufs.clusterZone().sampler.sites().get(0);
        assertThat(v.key().frames().get(0).className()).isEqualTo(SamplingTest.class.getName());
        assertThat(lineOf(v)).isEqualTo(line);
        mbufs.m_freem(m);
        assertThat(mbufs.clusterZone().sampler.liveCount()).isZero();
    }

    @Test
    void destroyWithItemsLeftReportsTheKegLineAndTheLineThatLeaked() {
        Zone z = zone("leaky", 512);
        z.setSampleRate(1);
        long kept = z.alloc(Uma.M_WAITOK);
        int line = nextLine();
        for (int i = 0; i < 3; i++) { z.alloc(Uma.M_WAITOK); }
        z.free(kept);
        z.destroy();
        assertThat(console.get(0)).matches("Freed UMA keg \\(leaky\\) was not empty \\(3 items\\)\\.  Lost \\d+ "
                + "pages of memory\\.");
        assertThat(console).anySatisfy(l -> assertThat(l).contains("3 sampled item(s) of 512 bytes"));
        assertThat(console).anySatisfy(l -> assertThat(l).isEqualTo("      at " + SamplingTest.class.getName()
                + ".destroyWithItemsLeftReportsTheKegLineAndTheLineThatLeaked(SamplingTest.java:" + line + ")"));
        assertThat(pagesMarked()).isZero();
    }

    @Test
    void closeWithItemsLeftReportsEveryKegThatHoldsThem() {
        Zone z = zone("held", 64);
        z.setSampleRate(1);
        zone("empty", 64).free(uma.zones().get(0).alloc(Uma.M_WAITOK));
        z.alloc(Uma.M_WAITOK);
        long pages = z.keg.pages();
        uma.close();
        assertThat(console).filteredOn(l -> l.startsWith("Freed UMA keg")).containsExactly(
                "Freed UMA keg (held) was not empty (1 items).  Lost " + pages + " pages of memory.");
        assertThat(console).anySatisfy(l -> assertThat(l).startsWith("      at " + SamplingTest.class.getName()));
    }

    @Test
    void peaksFollowPagesExactlyAndRestartOnReset() {
        Zone z = zone("peak", 4096);
        z.setSampleRate(0);
        long[] items = new long[256];
        for (int i = 0; i < items.length; i++) {
            items[i] = z.alloc(Uma.M_WAITOK);
        }
        long pagesAtPeak = z.keg.pages();
        long allocatorAtPeak = uma.pages.pagesInUse();
        z.stats();
        for (long item : items) {
            z.free(item);
        }
        z.reclaim(Reclaim.DRAIN_CPU);
        assertThat(z.keg.pages()).isLessThan(pagesAtPeak);
        assertThat(z.keg.pagesPeak()).isEqualTo(pagesAtPeak);
        assertThat(uma.pages.pagesPeak()).isGreaterThanOrEqualTo((int) allocatorAtPeak);
        assertThat(z.usedPeak.get()).isEqualTo(256);
        assertThat(uma.sysctl().write("vm.zone_peaks_reset", intValue(2)).errno()).isEqualTo(Errno.EINVAL);
        assertThat(z.keg.pagesPeak()).isEqualTo(pagesAtPeak);
        assertThat(uma.sysctl().write("vm.zone_peaks_reset", intValue(1)).errno()).isEqualTo(Errno.OK);
        assertThat(z.keg.pagesPeak()).isEqualTo(z.keg.pages());
        assertThat(uma.pages.pagesPeak()).isEqualTo(uma.pages.pagesInUse());
        assertThat(z.usedPeak.get()).isZero();
    }

    @Test
    void peaksStreamCarriesEveryZoneInStatsOrder() {
        Zone z = zone("streamed", 1024);
        long item = z.alloc(Uma.M_WAITOK);
        z.stats();
        ByteBuffer b = read("vm.zone_peaks");
        assertThat(b.getInt(ProfileStreams.PH_VERSION)).isEqualTo(1);
        int n = b.getInt(ProfileStreams.PH_NZONES);
        assertThat(n).isEqualTo(uma.zoneCount());
        assertThat(b.remaining()).isEqualTo(ProfileStreams.PH_BYTES + n * ProfileStreams.PZ_BYTES);
        assertThat(b.getLong(ProfileStreams.PH_PAGES)).isEqualTo(uma.pagesInUse() * uma.pageSize());
        int first = ProfileStreams.PH_BYTES;
        assertThat(name(b, first)).isEqualTo("streamed");
        assertThat(b.getLong(first + ProfileStreams.PZ_KEG_PAGES_PEAK)).isEqualTo(z.keg.pagesPeak() * 4096);
        assertThat(b.getLong(first + ProfileStreams.PZ_USED_PEAK)).isEqualTo(1);
        z.free(item);
    }

    @Test
    void samplesStreamListsEveryZoneButBucketZones() {
        Zone z = zone("listed", 96);
        z.setSampleRate(1);
        long item = z.alloc(Uma.M_WAITOK);
        ByteBuffer b = read("vm.zone_samples");
        assertThat(b.getInt(ProfileStreams.SH_VERSION)).isEqualTo(1);
        assertThat(b.getInt(ProfileStreams.SH_NZONES)).isEqualTo(1);
        assertThat(b.getInt(ProfileStreams.SH_NFRAMES)).isPositive();
        z.free(item);
    }

    @Test
    void aHugeAllocatorCountsPerRunOfPagesWithinFourMebibytes() {
        SampleMarks small = new SampleMarks(0, 1 << 18);
        assertThat(small.shift).isEqualTo(PageSource.PAGE_SHIFT);
        assertThat(small.counts).hasSize(1 << 18);
        SampleMarks huge = new SampleMarks(0, (1 << 28) + 5);
        assertThat(huge.counts.length).isLessThanOrEqualTo(1 << 21);
        assertThat((long) huge.counts.length << (huge.shift - PageSource.PAGE_SHIFT))
                .isGreaterThanOrEqualTo((1 << 28) + 5);
        huge.add(((1L << 28) + 4) << PageSource.PAGE_SHIFT);
        assertThat(huge.counts[huge.counts.length - 1]).isEqualTo((char) 1);
        huge.remove(((1L << 28) + 4) << PageSource.PAGE_SHIFT);
        assertThat(huge.counts[huge.counts.length - 1]).isEqualTo((char) 0);
    }

    private long pagesMarked() {
        long n = 0;
        for (char c : uma.marks.counts) {
            n += c;
        }
        return n;
    }

    private ByteBuffer read(String oid) {
        ByteBuffer dst = ByteBuffer.allocate(1 << 20);
        SysctlResult r = uma.sysctl().read(oid, dst);
        assertThat(r.errno()).isEqualTo(Errno.OK);
        return dst.flip().order(ByteOrder.nativeOrder());
    }

    private static String name(ByteBuffer b, int off) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; b.get(i) != 0; i++) {
            sb.append((char) b.get(i));
        }
        return sb.toString();
    }

    private static ByteBuffer longValue(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, v);
    }

    private static ByteBuffer intValue(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, v);
    }
}
