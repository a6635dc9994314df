/**
 * Heap profiles in pprof's {@code profile.proto} format, from the sampled allocation sites of
 * {@code vm.zone_samples} (docs/PROFILES.md), for {@code go tool pprof}.
 *
 * <pre>{@code
 * byte[] gz = HeapProfile.builder()
 *         .add("app", appSamples, null)          // every zone of source "app"
 *         .add("db", dbSamples, "mbuf_cluster")  // one zone of source "db"
 *         .toGzip();                             // go tool pprof -top heap.pb.gz
 * }</pre>
 *
 * <p>{@link org.memstat.pprof.HeapProfile} is the public type. {@code org.memstat.pprof.proto} holds the classes
 * protoc generates from {@code src/main/protobuf/profile.proto} at build time.
 */
package org.memstat.pprof;
