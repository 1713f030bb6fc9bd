package io.sessiond.testsupport;

import io.sessiond.consul.ConsulAclFilter;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The application's JAX-RS resources, found by scanning its compiled classes (not a list), so that a test
 * over them covers a new resource or method without being edited.
 */
public final class ResourceMethods {

    private ResourceMethods() {
    }

    /** A resource method or sub-resource locator: annotated with an HTTP method or with @Path. */
    public static boolean isResourceMethod(Method method) {
        return method.isAnnotationPresent(Path.class) || Arrays.stream(method.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    /** The HTTP method a resource method answers, if it names one. */
    public static Optional<String> httpMethod(Method method) {
        return Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                .filter(type -> type.isAnnotationPresent(HttpMethod.class))
                .map(type -> type.getAnnotation(HttpMethod.class).value()).findFirst();
    }

    /**
     * The classes of the application (not of the tests) that are resources: @Path on the class or a method. The
     * application's classes are a directory for the JVM tests, and the packaged jar for the *IT classes that
     * Maven's verify runs.
     */
    public static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path location = java.nio.file.Path.of(
                ConsulAclFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            return resourceClasses(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return resourceClasses(jar.getPath("/"));
        }
    }

    private static List<Class<?>> resourceClasses(java.nio.file.Path root) throws IOException, ClassNotFoundException {
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                if (name.startsWith("META-INF.")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, ResourceMethods.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)
                        || Arrays.stream(type.getDeclaredMethods()).anyMatch(ResourceMethods::isResourceMethod)) {
                    resources.add(type);
                }
            }
        }
        return resources;
    }
}
