package org.memstat.daemon;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Adapts a Jetty core request to client_java's {@link PrometheusHttpExchange}, so its scrape handler does the
 * Accept negotiation (Prometheus text or OpenMetrics), gzip and {@code name[]} filtering without a servlet API.
 */
final class JettyScrapeExchange implements PrometheusHttpExchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private Exception failure;

    JettyScrapeExchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
        return new PrometheusHttpRequest() {
            @Override
            public String getQueryString() {
                return request.getHttpURI().getQuery();
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return Collections.enumeration(request.getHeaders().getValuesList(name));
            }

            @Override
            public String getMethod() {
                return request.getMethod();
            }

            @Override
            public String getRequestPath() {
                return request.getHttpURI().getPath();
            }
        };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
        return new PrometheusHttpResponse() {
            @Override
            public void setHeader(String name, String value) {
                response.getHeaders().put(name, value);
            }

            @Override
            public OutputStream sendHeadersAndGetBody(int status, int contentLength) {
                response.setStatus(status);
                if (contentLength > 0) {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
                }
                return Content.Sink.asOutputStream(response);
            }
        };
    }

    @Override
    public void handleException(IOException e) {
        failure = e;
    }

    @Override
    public void handleException(RuntimeException e) {
        failure = e;
    }

    /** Completes the Jetty request; the scrape handler has closed the body stream (except for HEAD). */
    @Override
    public void close() {
        if (failure != null) {
            callback.failed(failure);
        } else {
            callback.succeeded();
        }
    }
}
