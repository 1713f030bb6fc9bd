package io.sessiond.http;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A path pattern and the methods it accepts, for the dialects that answer OPTIONS and wrong methods
 * themselves before resource matching (JAX-RS would answer them per class, in no dialect). GET allows HEAD.
 */
public record PathRoute(Pattern path, List<String> methods) {

    public static PathRoute of(String pathPattern, String... methods) {
        return new PathRoute(Pattern.compile(pathPattern), List.of(methods));
    }

    public boolean matches(String requestPath) {
        return path.matcher(requestPath).matches();
    }

    public boolean allows(String method) {
        return methods.contains(method) || method.equals("HEAD") && methods.contains("GET");
    }

    /**
     * The answer to {@code method} before resource matching: OPTIONS is 204 with {@code Allow}, a method this
     * route does not accept is the dialect's 405 ({@code methodNotAllowed} makes it from its message) with
     * {@code Allow}; empty when the method is accepted. {@code path} names the route in the message.
     */
    public Optional<Response> answerMethod(String method, String path, Function<String, Response> methodNotAllowed) {
        if (method.equals("OPTIONS")) {
            return Optional.of(Response.noContent().header(HttpHeaders.ALLOW, allowHeader()).build());
        }
        if (allows(method)) {
            return Optional.empty();
        }
        return Optional.of(Response.fromResponse(methodNotAllowed.apply("Method " + method + " is not allowed on '" + path + "'"))
                .header(HttpHeaders.ALLOW, allowHeader()).build());
    }

    /** The {@code Allow} header: OPTIONS, HEAD where GET is allowed, then the methods. */
    public String allowHeader() {
        return "OPTIONS," + (methods.contains("GET") ? "HEAD," : "") + String.join(",", methods);
    }
}
