package org.memstat.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.memstat.lib.SysctlException;
import org.memstat.uma.sysctl.Errno;

/**
 * {@code /api/v1/sysctl/{oid}}: raw OID values for memstat-lib's {@code http://} source ({@code GET}), and
 * {@code sysctl -w} ({@code POST}/{@code PUT}) behind the write token.
 */
final class SysctlApi {
    /** The largest value a write may carry; the request body limit is the same. */
    static final int MAX_WRITE_BYTES = 64 * 1024;

    private final Sources sources;
    private final WriteAuth auth;

    SysctlApi(Sources sources, WriteAuth auth) {
        this.sources = sources;
        this.auth = auth;
    }

    /** {@code GET}: 200 with the value bytes as the producer wrote them; 404 ENOENT, 403 EPERM/EACCES. */
    void read(Source src, String oid, Response response, Callback callback) {
        byte[] value;
        try {
            value = sources.call(() -> src.sysctl().read(oid));
        } catch (SysctlException e) {
            Http.error(response, callback, status(e.errno().number()), oid + ": " + e.reason(), src.name());
            return;
        } catch (TimeoutException e) {
            Http.error(response, callback, 504, oid + ": no answer from " + src.uri() + " within "
                    + sources.timeout().toMillis() + " ms", src.name());
            return;
        } catch (Exception e) {
            Http.error(response, callback, 502, oid + ": " + e, src.name());
            return;
        }
        Http.send(response, callback, 200, Http.OCTETS, value);
    }

    /**
     * The token rule for a write: 403 when writes are off, 401 without the right bearer token.
     *
     * @return true when the write may proceed; otherwise the answer has been sent
     */
    boolean authorize(Request request, Response response, Callback callback) {
        if (!auth.enabled()) {
            Http.error(response, callback, 403, "writes are disabled: start memstatd with --write-token-file",
                    null);
            return false;
        }
        if (!auth.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"memstatd\"");
            Http.error(response, callback, 401, "a valid 'Authorization: Bearer <token>' header is required", null);
            return false;
        }
        return true;
    }

    /**
     * {@code POST}/{@code PUT} after {@link #authorize}: writes the body bytes, or {@code ?value=} as a native int
     * or long. Only OIDs with a write handler accept it (EPERM, answered 403, otherwise).
     */
    void write(Request request, Source src, String oid, String textValue, Response response, Callback callback)
            throws IOException {
        OidWriter writer = src.writer();
        if (writer == null) {
            Http.error(response, callback, 403, "source " + src.name() + " (" + src.uri() + ") is read-only",
                    src.name());
            return;
        }
        byte[] value;
        if (textValue != null) {
            int size;
            try {
                size = sources.call(() -> writer.numericSize(oid));
            } catch (Exception e) {
                Http.error(response, callback, 502, oid + ": " + e, src.name());
                return;
            }
            if (size < 0) {
                Http.error(response, callback, status(-size), oid + ": " + Errno.name(-size), src.name());
                return;
            }
            value = encode(textValue, size);
            if (value == null) {
                Http.error(response, callback, 400, oid + ": ?value= takes a decimal number that fits the OID's "
                        + (size == 0 ? "type; this OID is not an int or long, send its bytes as the body" : size
                        + "-byte integer"), src.name());
                return;
            }
        } else {
            try (InputStream in = Content.Source.asInputStream(request)) {
                value = in.readNBytes(MAX_WRITE_BYTES + 1);
            }
            if (value.length == 0 || value.length > MAX_WRITE_BYTES) {
                Http.error(response, callback, value.length == 0 ? 400 : 413, value.length == 0
                        ? "send the new value as the body or as ?value=N" : "value larger than "
                        + MAX_WRITE_BYTES + " bytes", src.name());
                return;
            }
        }
        byte[] bytes = value;
        int errno;
        try {
            errno = sources.call(() -> writer.write(oid, bytes));
        } catch (Exception e) {
            Http.error(response, callback, 502, oid + ": " + e, src.name());
            return;
        }
        if (errno != Errno.OK) {
            Http.error(response, callback, status(errno), oid + ": " + Errno.name(errno), src.name());
            return;
        }
        Http.json(response, callback, 200, g -> {
            g.writeStartObject();
            g.writeStringProperty("source", src.name());
            g.writeStringProperty("oid", oid);
            g.writeNumberProperty("written-bytes", bytes.length);
            g.writeEndObject();
        });
    }

    /** A decimal as a native int (signed or unsigned range) or long; null when it does not parse or fit. */
    static byte[] encode(String text, int size) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
        if (size == 4 && v >= Integer.MIN_VALUE && v <= 0xFFFF_FFFFL) {
            return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) v).array();
        }
        if (size == 8) {
            return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
        }
        return null;
    }

    /** HTTP status for a FreeBSD errno, as memstat-lib's http: source maps them back. */
    static int status(int errno) {
        return switch (errno) {
            case Errno.ENOENT, Errno.ENOTDIR, Errno.EISDIR -> 404;
            case Errno.EPERM, Errno.EACCES -> 403;
            case Errno.EINVAL, Errno.ENAMETOOLONG -> 400;
            case 60 -> 504; // ETIMEDOUT
            default -> 502;
        };
    }
}
