package org.memstat.uma.sysctl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the hand-written {@code .hex} golden files (see the README next to them). */
final class HexResource {
    private HexResource() {
    }

    static byte[] load(String name) {
        try (InputStream in = HexResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] parse(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String data = hash < 0 ? line : line.substring(0, hash);
            for (String token : data.trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                int star = token.indexOf('*');
                int value = Integer.parseInt(star < 0 ? token : token.substring(0, star), 16);
                int repeat = star < 0 ? 1 : Integer.parseInt(token.substring(star + 1));
                if (value > 0xff || (star < 0 ? token.length() : star) != 2) {
                    throw new IllegalArgumentException("bad hex token " + token);
                }
                for (int i = 0; i < repeat; i++) {
                    out.write(value);
                }
            }
        }
        return out.toByteArray();
    }
}
