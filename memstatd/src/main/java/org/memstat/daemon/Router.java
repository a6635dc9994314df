package org.memstat.daemon;

import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;

/**
 * Routes every request: a known path with a wrong method is 405 with {@code Allow}, an unknown path 404, a bad
 * query 400; all errors are JSON objects. Blocking is allowed here (sources are read on the request's thread,
 * bounded by the scrape timeout).
 */
final class Router extends Handler.Abstract {
    private static final String API = "/api/v1";
    private static final Set<String> DEBUG_FORMATS = Set.of("text", "openmetrics");
    private static final List<String> ENDPOINTS = List.of("/metrics", "/healthz", API + "/sources",
            API + "/zones", API + "/zones/{id}", API + "/malloc", API + "/mbuf", API + "/rates",
            API + "/sysctl/{oid}");

    private final Sources sources;
    private final JsonApi json;
    private final SysctlApi sysctl;
    private final MetricsEndpoint metrics;

    Router(Sources sources, JsonApi json, SysctlApi sysctl, MetricsEndpoint metrics) {
        this.sources = sources;
        this.json = json;
        this.sysctl = sysctl;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Fields query;
        try {
            query = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            Http.error(response, callback, 400, "malformed query string", null);
            return true;
        }
        switch (path) {
            case "/" -> {
                if (readOnly(method, response, callback)) {
                    Http.text(response, callback, 200, "text/html; charset=utf-8", Landing.html(sources.list()));
                }
            }
            case "/healthz" -> {
                if (readOnly(method, response, callback)) {
                    Http.text(response, callback, 200, "text/plain; charset=utf-8", "ok\n");
                }
            }
            case "/metrics" -> {
                if (readOnly(method, response, callback)) {
                    String debug = query.getValue("debug");
                    if (debug != null && !DEBUG_FORMATS.contains(debug)) {
                        Http.error(response, callback, 400, "debug must be text or openmetrics", null);
                    } else {
                        metrics.handle(request, response, callback, query);
                    }
                }
            }
            case API, API + "/" -> {
                if (readOnly(method, response, callback)) {
                    Http.json(response, callback, 200, g -> {
                        g.writeStartObject();
                        g.writeArrayPropertyStart("endpoints");
                        ENDPOINTS.forEach(g::writeString);
                        g.writeEndArray();
                        g.writeEndObject();
                    });
                }
            }
            case API + "/sources" -> {
                if (readOnly(method, response, callback)) {
                    json.sources(response, callback);
                }
            }
            default -> routeSourceEndpoint(path, method, query, request, response, callback);
        }
        return true;
    }

    private void routeSourceEndpoint(String path, String method, Fields query, Request request, Response response,
            Callback callback) throws Exception {
        String endpoint = path.startsWith(API + "/zones/") ? "zone"
                : path.startsWith(API + "/sysctl/") ? "sysctl"
                : switch (path) {
                    case API + "/zones" -> "zones";
                    case API + "/malloc" -> "malloc";
                    case API + "/mbuf" -> "mbuf";
                    case API + "/rates" -> "rates";
                    default -> null;
                };
        if (endpoint == null) {
            Http.error(response, callback, 404, "no such endpoint: " + path + " (see /api/v1)", null);
            return;
        }
        boolean write = "sysctl".equals(endpoint) && ("POST".equals(method) || "PUT".equals(method));
        if (write) {
            // Checked before the source lookup so that an unauthenticated caller learns nothing about sources.
            if (!sysctl.authorize(request, response, callback)) {
                return;
            }
        } else if (!readOnly(method, response, callback, "sysctl".equals(endpoint) ? "GET, HEAD, POST, PUT"
                : "GET, HEAD")) {
            return;
        }
        String rest = endpoint.equals("zone") ? path.substring((API + "/zones/").length())
                : endpoint.equals("sysctl") ? path.substring((API + "/sysctl/").length()) : null;
        if (rest != null) {
            // The path is canonical but still percent-encoded: an id such as foo#2 arrives as foo%232.
            rest = URIUtil.decodePath(rest);
        }
        if (rest != null && rest.isEmpty()) {
            Http.error(response, callback, 404, "missing " + (endpoint.equals("zone") ? "zone id" : "OID")
                    + " in " + path, null);
            return;
        }
        String sourceName = query.getValue("source");
        Source src = sources.find(sourceName);
        if (src == null) {
            Http.error(response, callback, 404, sourceName == null ? "no sources configured"
                    : "no source named " + sourceName, null);
            return;
        }
        boolean percpu = MetricsCollector.truthy(values(query, "percpu"));
        switch (endpoint) {
            case "zones" -> json.zones(src, percpu, response, callback);
            case "zone" -> json.zone(src, rest, percpu, response, callback);
            case "malloc" -> json.malloc(src, percpu, response, callback);
            case "mbuf" -> json.mbuf(src, response, callback);
            case "rates" -> json.rates(src, response, callback);
            default -> {
                if (write) {
                    sysctl.write(request, src, rest, query.getValue("value"), response, callback);
                } else {
                    sysctl.read(src, rest, response, callback);
                }
            }
        }
    }

    private static String[] values(Fields query, String name) {
        List<String> v = query.getValues(name);
        return v == null ? null : v.toArray(String[]::new);
    }

    /** True for GET and HEAD; otherwise answers 405 and returns false. */
    private static boolean readOnly(String method, Response response, Callback callback) {
        return readOnly(method, response, callback, "GET, HEAD");
    }

    private static boolean readOnly(String method, Response response, Callback callback, String allow) {
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        Http.error(response, callback, 405, "method " + method + " not allowed", null);
        return false;
    }
}
