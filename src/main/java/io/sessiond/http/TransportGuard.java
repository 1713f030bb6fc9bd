package io.sessiond.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * The request's framing, checked as soon as its head is read and before any route (JAX-RS included) sees it:
 * a body must be framed unambiguously, by a Content-Length or by the {@code chunked} transfer coding alone,
 * since a proxy in front that frames it differently would let the rest of the body pass as a second request
 * (request smuggling). A body larger than the transport cap is refused here too, so that both answers are
 * in the dialect of the path. Each refusal closes the connection: what follows on it cannot be trusted.
 */
@ApplicationScoped
public class TransportGuard {

    /** Ahead of every other filter and route (Quarkus orders a filter at minus its priority). */
    private static final int PRIORITY = 1_000_000;

    private final ErrorFormats formats;
    private final long maxBodySize;

    public TransportGuard(ErrorFormats formats,
                          @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.formats = formats;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        MultiMap headers = context.request().headers();
        List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
        String contentLength = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (!codings.isEmpty()) {
            if (codings.size() != 1 || !codings.get(0).strip().equalsIgnoreCase("chunked")) {
                refuse(context, 400, "Transfer-Encoding '" + String.join(", ", codings)
                        + "' is refused: the only transfer coding accepted is chunked, alone");
                return;
            }
            if (contentLength != null || contentLengthRemoved(context.request())) {
                refuse(context, 400, "Content-Length and Transfer-Encoding together are refused: "
                        + "a request body is framed by one of them");
                return;
            }
            closeAfterResponse(context);
        }
        if (contentLength != null && tooLarge(contentLength)) {
            refuse(context, 413, "Request body of " + contentLength.strip() + " bytes is larger than the limit of "
                    + maxBodySize + " bytes");
            return;
        }
        context.next();
    }

    /**
     * Netty drops a Content-Length sent with {@code Transfer-Encoding: chunked} (HTTP/1.1) before the
     * application sees the headers, but it counts the bytes of the header lines it read: when those exceed what
     * the visible headers account for, with one space after each colon, by at least the shortest such line
     * ({@code Content-Length:0}), one was there. Other headers written without that space can hide one;
     * {@link #closeAfterResponse} covers them.
     */
    private static boolean contentLengthRemoved(HttpServerRequest request) {
        if (!(request.decoderResult() instanceof HttpMessageDecoderResult read)) {
            return false;
        }
        long visible = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            visible += header.getKey().length() + ": ".length() + header.getValue().length();
        }
        return read.headerSize() - visible >= "Content-Length:0".length();
    }

    /**
     * A chunked request's connection is closed after its response, as RFC 9112 (6.3) requires after a request
     * that had a Content-Length as well: if a proxy in front framed the body by a Content-Length we could not
     * see, the bytes it sent after the body end with the connection instead of being read as a request.
     */
    private static void closeAfterResponse(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() != HttpVersion.HTTP_2) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            context.addEndHandler(done -> request.connection().close());
        }
    }

    /** Netty has already refused a Content-Length that is not a number. */
    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void refuse(RoutingContext context, int status, String message) {
        HttpServerRequest request = context.request();
        ErrorFormat format = formats.of(request.path());
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        var response = context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, format.contentType());
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(format.body(status, message)).onComplete(done -> {
            if (http1) {
                request.connection().close();
            }
        });
    }
}
