package io.sessiond.http;

import java.util.List;
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

    /** The {@code Allow} header: OPTIONS, HEAD where GET is allowed, then the methods. */
    public String allowHeader() {
        return "OPTIONS," + (methods.contains("GET") ? "HEAD," : "") + String.join(",", methods);
    }
}
