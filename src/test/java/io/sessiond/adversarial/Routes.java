package io.sessiond.adversarial;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every JAX-RS route of the application, read from the compiled resource classes themselves (a Jandex
 * index of the application's class directory, no class loaded): a route added to a resource is fuzzed
 * without editing the suite.
 */
public final class Routes {

    /** The API a route belongs to, which decides the format of its error bodies. */
    public enum Dialect { CONSUL, JSON_API, WEB_SESSION }

    /** One resource method: its HTTP method and full path template, e.g. {@code /v1/kv/{key: .*}}. */
    public record Route(Dialect dialect, String method, String template, String resourceMethod) {

        private static final Pattern PARAMETER = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*(?::[^}]*)?}");

        /** The path parameters' names, in order. */
        public List<String> parameters() {
            List<String> names = new ArrayList<>();
            Matcher matcher = PARAMETER.matcher(template);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }

        /** The template with each parameter replaced by what {@code value} gives for its name (raw, already escaped). */
        public String fill(java.util.function.Function<String, String> value) {
            Matcher matcher = PARAMETER.matcher(template);
            StringBuilder path = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(path, Matcher.quoteReplacement(value.apply(matcher.group(1))));
            }
            matcher.appendTail(path);
            return path.toString();
        }

        /** The first two segments of the template, e.g. {@code /v1/kv}: everything under it is this dialect's. */
        String prefix() {
            String[] segments = template.split("/");
            return "/" + segments[1] + "/" + segments[2];
        }

        public boolean takesBody() {
            return method.equals("PUT") || method.equals("POST") || method.equals("PATCH");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final Set<String> HTTP_METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS");
    /** Each dialect's package: the resources of a dialect live in it (see the project's layout). */
    private static final Map<String, Dialect> DIALECT_PACKAGES = Map.of(
            "io.sessiond.consul", Dialect.CONSUL,
            "io.sessiond.jsonapi", Dialect.JSON_API,
            "io.sessiond.websession", Dialect.WEB_SESSION);

    private Routes() {
    }

    /** All routes of the resource classes under {@code io/sessiond} in the application's class directory. */
    public static List<Route> discover() {
        Index index = index(applicationClasses());
        List<Route> routes = new ArrayList<>();
        for (AnnotationInstance classPath : index.getAnnotations(PATH)) {
            if (classPath.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo resource = classPath.target().asClass();
            Dialect dialect = DIALECT_PACKAGES.get(resource.name().packagePrefix());
            if (dialect == null) {
                throw new IllegalStateException("Resource " + resource.name() + " is in no known dialect's package "
                        + DIALECT_PACKAGES.keySet() + ": tell Routes which error format its routes use");
            }
            for (MethodInfo method : resource.methods()) {
                for (String httpMethod : httpMethods(method)) {
                    AnnotationInstance methodPath = method.annotation(PATH);
                    String template = join(classPath.value().asString(),
                            methodPath == null ? "" : methodPath.value().asString());
                    routes.add(new Route(dialect, httpMethod, template,
                            resource.simpleName() + "." + method.name()));
                }
            }
        }
        routes.sort(Comparator.comparing(Route::template).thenComparing(Route::method));
        if (routes.isEmpty()) {
            throw new IllegalStateException("No JAX-RS routes found under " + applicationClasses());
        }
        return Collections.unmodifiableList(routes);
    }

    /** The URL prefixes of each dialect, e.g. {@code /v1/kv -> CONSUL}. */
    static Map<String, Dialect> prefixes(List<Route> routes) {
        Map<String, Dialect> prefixes = new LinkedHashMap<>();
        routes.forEach(route -> prefixes.put(route.prefix(), route.dialect()));
        return prefixes;
    }

    private static List<String> httpMethods(MethodInfo method) {
        return method.annotations().stream()
                .filter(annotation -> annotation.target().kind() == AnnotationTarget.Kind.METHOD)
                .map(annotation -> annotation.name())
                .filter(name -> name.packagePrefix().equals("jakarta.ws.rs") && HTTP_METHODS.contains(name.local()))
                .map(DotName::local)
                .toList();
    }

    private static String join(String classPath, String methodPath) {
        String path = "/" + strip(classPath) + (methodPath.isEmpty() ? "" : "/" + strip(methodPath));
        return path.replaceAll("/+", "/");
    }

    private static String strip(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    /** The directory the application's (not the tests') classes were compiled to. */
    private static Path applicationClasses() {
        try {
            for (URL url : Collections.list(Routes.class.getClassLoader().getResources("io/sessiond"))) {
                if (!url.getProtocol().equals("file")) {
                    continue;
                }
                Path directory = Path.of(url.toURI()).getParent().getParent();
                if (!directory.endsWith("test-classes")) {
                    return directory;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path fallback = Path.of("target", "classes");
        if (Files.isDirectory(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("The application's class directory is not on the class path");
    }

    private static Index index(Path classes) {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes.resolve("io/sessiond"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return indexer.complete();
    }
}
