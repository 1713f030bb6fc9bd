package io.sessiond;

import io.sessiond.acl.AclDeclarations;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.Subject;
import io.sessiond.consul.ConsulAclFilter;
import io.sessiond.consul.ConsulApi;
import io.sessiond.jsonapi.AdminAclFilter;
import io.sessiond.jsonapi.AdminApi;
import io.sessiond.websession.WebSessionAclFilter;
import io.sessiond.websession.WebSessionApi;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JAX-RS resource method of every dialect declares its ACL permission, so that none is guarded by
 * omission. The resource classes are found by scanning the application's compiled classes (not a list
 * here): a new resource, or a new method, is checked without editing this test.
 */
class AclDeclaredOnEveryResourceMethodTest {

    /** Each dialect's name binding, and the subjects its ACL filter can resolve. */
    private static final Map<Class<? extends Annotation>, Set<Subject>> DIALECTS = Map.of(
            ConsulApi.class, ConsulAclFilter.SUBJECTS,
            AdminApi.class, AdminAclFilter.SUBJECTS,
            WebSessionApi.class, WebSessionAclFilter.SUBJECTS);

    @Test
    void everyResourceMethodOfEveryDialectDeclaresItsPermission() throws Exception {
        List<Class<?>> resources = resourceClasses();
        // Guards the scan itself: finding nothing would make every assertion below vacuous.
        assertTrue(resources.size() >= 9, "found only " + resources);
        List<String> problems = new ArrayList<>();
        int methods = 0;
        for (Class<?> resource : resources) {
            List<Class<? extends Annotation>> bindings = DIALECTS.keySet().stream()
                    .filter(resource::isAnnotationPresent).toList();
            if (bindings.size() != 1) {
                problems.add(resource.getName() + " is bound to " + bindings.size()
                        + " dialects (exactly one of ConsulApi, AdminApi, WebSessionApi, so that one ACL filter guards it)");
                continue;
            }
            Set<Subject> resolvable = DIALECTS.get(bindings.get(0));
            for (Method method : resource.getDeclaredMethods()) {
                if (!isResourceMethod(method)) {
                    continue;
                }
                methods++;
                String where = resource.getSimpleName() + "." + method.getName();
                if (!AclDeclarations.declared(method)) {
                    problems.add(where + " declares no permission (@Requires or @CheckedByResource, exactly one)");
                    continue;
                }
                Requires requires = method.getAnnotation(Requires.class);
                if (requires != null) {
                    if (!resolvable.contains(requires.name())) {
                        problems.add(where + " names its resource by " + requires.name() + ", which its dialect cannot resolve");
                    }
                    if ((requires.kind() == ResourceKind.ACL) != (requires.name() == Subject.NOTHING)) {
                        problems.add(where + ": acl names no resource, every other kind names one");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(methods >= 50, "found only " + methods + " resource methods");
    }

    /** A resource method or sub-resource locator: annotated with an HTTP method or with @Path. */
    private static boolean isResourceMethod(Method method) {
        return method.isAnnotationPresent(Path.class) || Arrays.stream(method.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    /** The classes of the application (not of the tests) that are resources: @Path on the class or a method. */
    private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path root = java.nio.file.Path.of(
                ConsulAclFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '.')
                        .replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, AclDeclaredOnEveryResourceMethodTest.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)
                        || Arrays.stream(type.getDeclaredMethods()).anyMatch(AclDeclaredOnEveryResourceMethodTest::isResourceMethod)) {
                    resources.add(type);
                }
            }
        }
        return resources;
    }
}
