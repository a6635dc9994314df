package org.memstat.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw-socket HTTP/1.1 client on 127.0.0.1 for requests no well-behaved client would send. */
final class RawHttp {
    /** The status code and the whole response text. */
    record Answer(int status, String text) {
    }

    private RawHttp() {
    }

    /** Sends {@code request} as is and reads the answer until the server closes or 10 s pass. */
    static Answer send(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // The server may answer and close before reading all of an oversized request.
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    if (complete(out.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // What arrived before the reset or timeout is the answer.
            }
            String text = out.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer: '" + text + "'");
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    static Answer send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** True once the headers and a Content-Length body have arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int cl = head.indexOf("content-length: ");
        if (cl < 0) {
            return false;
        }
        int eol = head.indexOf("\r\n", cl);
        int len = Integer.parseInt(head.substring(cl + 16, eol < 0 ? head.length() : eol).strip());
        return text.length() - end - 4 >= len;
    }
}
