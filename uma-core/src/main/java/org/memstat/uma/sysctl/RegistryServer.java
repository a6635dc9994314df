package org.memstat.uma.sysctl;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Serves a {@link Sysctl} on a Unix domain socket, with the protocol of {@code docs/REGISTRY-PROTOCOL.md}.
 *
 * <p><b>Threads.</b> One platform thread accepts; each connection is served by its own virtual thread; one reaper
 * thread closes connections whose deadline passed (no complete request within the idle timeout, or a response the
 * peer does not take within it). A slow or stuck client therefore only ever holds its own connection, and at most
 * {@code maxConnections} connections exist (more are accepted and closed at once).
 *
 * <p><b>Access.</b> The socket file is {@code 0600} ({@code 0660} with an allowed group) from the moment anyone can
 * reach it (see {@code SocketFiles}); in addition every peer's credentials ({@code SO_PEERCRED}) are checked: the
 * server's own user, an allowed user, or a peer whose primary group is an allowed group is served, anyone else
 * gets {@link Errno#EACCES}. Writes answer {@link Errno#EPERM} unless enabled with {@link Builder#allowWrites}.
 *
 * <p><b>Errors.</b> A malformed or oversized frame closes that connection only. Handler failures answer
 * {@link Errno#EIO}; peers never see a stack trace, the server logs one line.
 */
public final class RegistryServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());

    private final Sysctl sysctl;
    private final Path path;
    private final boolean writesEnabled;
    private final long idleTimeoutNanos;
    private final int maxConnections;
    private final UserPrincipal owner;
    private final Set<UserPrincipal> allowedUsers;
    private final Set<GroupPrincipal> allowedGroups;
    private final Predicate<UnixDomainPrincipal> peerPolicy;
    private final ServerSocketChannel channel;
    private final Object fileKey;
    private final Set<RegistryConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final Thread acceptor;
    private final Thread reaper;
    private volatile boolean closed;

    private RegistryServer(Builder b) throws IOException {
        this.sysctl = b.sysctl;
        this.path = b.path.toAbsolutePath();
        this.writesEnabled = b.writes;
        this.idleTimeoutNanos = b.idleTimeout.toNanos();
        this.maxConnections = b.maxConnections;
        this.allowedUsers = Set.copyOf(b.users);
        this.allowedGroups = Set.copyOf(b.groups);
        this.peerPolicy = b.policy;
        SocketFiles.Bound bound = SocketFiles.bind(path, b.socketGroup, Math.max(16, maxConnections));
        this.channel = bound.channel();
        this.fileKey = bound.fileKey();
        this.owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
        this.acceptor = Thread.ofPlatform().daemon().name("memstat-registry-accept").unstarted(this::acceptLoop);
        this.reaper = Thread.ofPlatform().daemon().name("memstat-registry-reaper").unstarted(this::reapLoop);
        acceptor.start();
        reaper.start();
    }

    /**
     * Starts configuring a server.
     *
     * @param sysctl     the registry to serve
     * @param socketPath where the socket file goes (its directory must exist; shorter than about 80 bytes)
     * @return a builder
     */
    public static Builder builder(Sysctl sysctl, Path socketPath) {
        return new Builder(sysctl, socketPath);
    }

    /** {@return the socket file's absolute path} */
    public Path socketPath() {
        return path;
    }

    /** {@return the number of open client connections} */
    public int connectionCount() {
        return connectionCount.get();
    }

    Sysctl sysctl() {
        return sysctl;
    }

    boolean writesEnabled() {
        return writesEnabled;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    void connectionClosed(RegistryConnection c) {
        if (connections.remove(c)) {
            connectionCount.decrementAndGet();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "registry: accept failed on {0}: {1}", path, e.toString());
                // Back off so a persistent failure (EMFILE) does not spin the acceptor.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            admit(client);
        }
    }

    private void admit(SocketChannel client) {
        if (connectionCount.incrementAndGet() > maxConnections) {
            connectionCount.decrementAndGet();
            LOG.log(Level.DEBUG, "registry: connection limit {0} reached, dropping a client", maxConnections);
            closeQuietly(client);
            return;
        }
        String peer = "unknown peer";
        boolean allowed = false;
        try {
            UnixDomainPrincipal p = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            peer = "uid " + p.user().getName() + " gid " + p.group().getName();
            allowed = peerPolicy != null ? peerPolicy.test(p)
                    : p.user().equals(owner) || allowedUsers.contains(p.user()) || allowedGroups.contains(p.group());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "registry: cannot vet peer ({0}); refusing", e.toString());
        }
        RegistryConnection c = new RegistryConnection(this, client, allowed, peer);
        connections.add(c);
        if (closed) {
            c.close();
        }
        Thread.ofVirtual().name("memstat-registry-conn").start(c);
    }

    private void reapLoop() {
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(idleTimeoutNanos / 4,
                TimeUnit.SECONDS.toNanos(1)));
        while (!closed) {
            long now = System.nanoTime();
            for (RegistryConnection c : connections) {
                if (c.expired(now)) {
                    c.close();
                }
            }
            try {
                TimeUnit.NANOSECONDS.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Removes the socket file (if still ours), stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        SocketFiles.remove(path, fileKey);
        closeQuietly(channel);
        reaper.interrupt();
        for (RegistryConnection c : connections) {
            c.close();
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            reaper.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Best effort on shutdown paths.
        }
    }

    /** Configures a {@link RegistryServer}. */
    public static final class Builder {
        private final Sysctl sysctl;
        private final Path path;
        private boolean writes;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxConnections = 64;
        private final Set<UserPrincipal> users = new HashSet<>();
        private final Set<GroupPrincipal> groups = new HashSet<>();
        private GroupPrincipal socketGroup;
        private Predicate<UnixDomainPrincipal> policy;

        private Builder(Sysctl sysctl, Path path) {
            this.sysctl = Objects.requireNonNull(sysctl, "sysctl");
            this.path = Objects.requireNonNull(path, "socketPath");
        }

        /**
         * Accepts writes from allowed peers (default: refused with {@link Errno#EPERM}).
         *
         * @param enabled whether writes are served
         * @return this builder
         */
        public Builder allowWrites(boolean enabled) {
            this.writes = enabled;
            return this;
        }

        /**
         * Sets how long a connection may take to send a complete request, or to take a response (default 30 s).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive: " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Bounds the number of open connections (default 64).
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Serves another user besides the server's own.
         *
         * @param user the user (e.g. from the file system's {@code UserPrincipalLookupService})
         * @return this builder
         */
        public Builder allowUser(UserPrincipal user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        /**
         * Serves peers whose primary group is {@code group}, and gives that group access to the socket file
         * ({@code 0660}, group-owned by it; the server's user must be a member).
         *
         * @param group the group
         * @return this builder
         */
        public Builder allowGroup(GroupPrincipal group) {
            groups.add(Objects.requireNonNull(group, "group"));
            if (socketGroup == null) {
                socketGroup = group;
            }
            return this;
        }

        /**
         * Replaces the default access rule (own user, allowed users, allowed groups) by a predicate over the
         * peer's credentials. The socket file's mode still applies first.
         *
         * @param policy true for peers to serve; an exception counts as false
         * @return this builder
         */
        public Builder peerPolicy(Predicate<UnixDomainPrincipal> policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Binds the socket and starts serving.
         *
         * @return the running server
         * @throws IOException if the socket cannot be bound, e.g. another server is listening at the path, or the
         *                     path exists and is not a socket
         */
        public RegistryServer start() throws IOException {
            return new RegistryServer(this);
        }
    }
}
