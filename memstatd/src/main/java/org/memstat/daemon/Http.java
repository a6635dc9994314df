package org.memstat.daemon;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/** Small response helpers shared by the endpoints. */
final class Http {
    static final String JSON = "application/json";
    static final String OCTETS = "application/octet-stream";
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Http() {
    }

    /** Writes one JSON document with a generator. */
    interface JsonBody {
        void write(JsonGenerator g);
    }

    static void json(Response response, Callback callback, int status, JsonBody body) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = MAPPER.createGenerator(buf)) {
            body.write(g);
        }
        buf.write('\n');
        send(response, callback, status, JSON, buf.toByteArray());
    }

    /** A JSON error object: {@code {"error": message, "status": status}}, plus {@code "source"} when given. */
    static void error(Response response, Callback callback, int status, String message, String source) {
        json(response, callback, status, g -> {
            g.writeStartObject();
            g.writeStringProperty("error", message);
            g.writeNumberProperty("status", status);
            if (source != null) {
                g.writeStringProperty("source", source);
            }
            g.writeEndObject();
        });
    }

    static void text(Response response, Callback callback, int status, String contentType, String body) {
        send(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        send(response, callback, status, contentType, ByteBuffer.wrap(body));
    }

    /** Sends {@code body}'s remaining bytes; the buffer is the response's (pass a duplicate of a shared one). */
    static void send(Response response, Callback callback, int status, String contentType, ByteBuffer body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, body, callback);
    }

    /** Writes a C {@code uint64_t} held in a long as a JSON number. */
    static void unsigned(JsonGenerator g, String name, long v) {
        g.writeName(name);
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(v)));
        }
    }
}
