package org.memstat.uma.sysctl;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Binding a Unix domain socket at a path without a window in which others can connect, and removing it safely.
 *
 * <p>The JDK cannot set the umask, so {@code bind} creates the socket file with whatever mode the umask leaves.
 * Instead the socket is bound inside a fresh {@code 0700} directory next to the target (nobody else can reach it
 * there), its mode is set to {@code 0600} (or {@code 0660} with an allowed group), and then it is renamed onto the
 * target path, which is atomic and replaces a stale socket file. A target that is not a socket is never touched; a
 * target with a live server behind it makes binding fail. The check and the rename are not atomic together: two
 * servers starting at the same path at the same moment may both succeed, and the later rename wins.
 */
final class SocketFiles {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    /** {@code sizeof(sun_path) - 1}: the longest socket path the kernel accepts. */
    static final int MAX_PATH_BYTES = 107;

    private SocketFiles() {
    }

    /** A bound server channel and the identity of the socket file it owns. */
    record Bound(ServerSocketChannel channel, Object fileKey) {
    }

    static Bound bind(Path target, GroupPrincipal group, int backlog) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        checkLength(target.toAbsolutePath());
        checkStale(target);
        Path dir = Files.createTempDirectory(parent, ".reg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = dir.resolve("s");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            checkLength(tmp);
            ch.bind(UnixDomainSocketAddress.of(tmp), backlog);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(group == null ? "rw-------"
                    : "rw-rw----"));
            if (group != null) {
                Files.setAttribute(tmp, "posix:group", group, LinkOption.NOFOLLOW_LINKS);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            Object key = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return new Bound(ch, key);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    private static void checkLength(Path path) throws IOException {
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new IOException("socket path " + path + " is " + bytes + " bytes; Unix sockets allow "
                    + MAX_PATH_BYTES + " (the temporary binding name needs the directory plus about 26 bytes)");
        }
    }

    /** Throws unless the target is absent or a socket nobody listens on. */
    private static void checkStale(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a socket");
        }
        SocketChannel probe;
        try {
            probe = SocketChannel.open(UnixDomainSocketAddress.of(target));
        } catch (IOException refused) {
            // Nobody accepts on it: a stale file from a dead server, replaced by the rename.
            return;
        }
        probe.close();
        throw new FileAlreadyExistsException(target.toString(), null, "a server is listening there");
    }

    /** Removes the socket file if it is still the one this server created. */
    static void remove(Path target, Object fileKey) {
        try {
            Object now = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (fileKey != null && fileKey.equals(now)) {
                Files.delete(target);
            }
        } catch (IOException gone) {
            // Already removed or replaced: nothing of ours to clean up.
        }
    }
}
