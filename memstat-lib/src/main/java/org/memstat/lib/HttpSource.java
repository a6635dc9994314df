package org.memstat.lib;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.memstat.lib.SysctlException.Errno;

/**
 * {@code http://HOST:PORT}: reads OIDs from a memstatd's raw endpoint; the contract is in {@link SysctlSource}.
 *
 * <p>The endpoint carries no byte order, so ints are decoded in the order the version word of the last stream
 * read through this source showed, little-endian before any (memstatd's producers are little-endian JVMs).
 */
final class HttpSource implements SysctlSource {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final Duration requestTimeout;
    private final int maxBytes;
    private final HttpClient client;
    private volatile ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    HttpSource(URI base, Duration connectTimeout, Duration requestTimeout, int maxBytes) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.requestTimeout = requestTimeout;
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public String uri() {
        return base.toString();
    }

    @Override
    public byte[] read(String oid) throws SysctlException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/sysctl/" + encode(oid)))
                .timeout(requestTimeout)
                .header("Accept", "application/octet-stream")
                .GET()
                .build();
        // limiting() fails the exchange once the body passes the cap, and ofByteArray grows with the bytes
        // received, so memory follows the input; get() with a deadline also bounds a server that stalls mid-body.
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request,
                HttpResponse.BodyHandlers.limiting(HttpResponse.BodyHandlers.ofByteArray(), maxBytes));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new SysctlException(oid, Errno.ETIMEDOUT, "no complete answer from " + base + " within "
                    + requestTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new SysctlException(oid, Errno.EIO, "interrupted while reading from " + base, e);
        } catch (ExecutionException e) {
            throw failure(oid, e.getCause());
        }
        int status = response.statusCode();
        if (status != 200) {
            throw new SysctlException(oid, statusErrno(status), "HTTP " + status + " from " + request.uri());
        }
        Optional<String> type = response.headers().firstValue("Content-Type");
        if (type.isPresent() && !type.get().startsWith("application/octet-stream")) {
            throw new SysctlException(oid, Errno.EIO, "Content-Type is " + type.get()
                    + ", expected application/octet-stream, from " + request.uri());
        }
        byte[] value = response.body();
        if (StreamKind.isStream(oid)) {
            ByteOrder o = Scalars.streamOrder(value);
            if (o != null) {
                order = o;
            }
        }
        return value;
    }

    private SysctlException failure(String oid, Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new SysctlException(oid, Errno.ETIMEDOUT, "no connection to " + base + " within the connect"
                    + " timeout", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new SysctlException(oid, Errno.ETIMEDOUT, "no answer from " + base + " within "
                    + requestTimeout.toMillis() + " ms", cause);
        }
        if (cause instanceof ConnectException) {
            return new SysctlException(oid, Errno.EIO, "cannot connect to " + base + ": connection refused", cause);
        }
        return new SysctlException(oid, Errno.EIO, "request to " + base + " failed: " + cause, cause);
    }

    @Override
    public int readInt(String oid) throws SysctlException {
        return Scalars.decodeInt(oid, read(oid), order);
    }

    private static Errno statusErrno(int status) {
        return switch (status) {
            case 404 -> Errno.ENOENT;
            case 403 -> Errno.EPERM;
            case 401 -> Errno.EACCES;
            default -> Errno.EIO;
        };
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, so an OID is always one path segment. */
    static String encode(String oid) {
        StringBuilder sb = new StringBuilder();
        for (byte b : oid.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
