package org.memstat.daemon;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty produces itself after parsing a request (413 from the size limit, 503 while shutting down, a
 * failed handler) as the same small JSON object the endpoints use: a status and its reason phrase, never
 * a stack trace or an exception message.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        Http.error(response, callback, code, reason(code), null);
    }

    private static String reason(int code) {
        String r = HttpStatus.getMessage(code);
        return r == null ? "HTTP " + code : r;
    }
}
