package io.sessiond;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.acl.Access;
import io.sessiond.acl.AccessControl;
import io.sessiond.acl.AccessDeniedException;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.Subject;
import io.sessiond.config.SessiondConfig;
import io.sessiond.consul.ConsulAclFilter;
import io.sessiond.consul.ConsulExceptionMappers;
import io.sessiond.jsonapi.AdminAclFilter;
import io.sessiond.http.jsonapi.JsonApiErrors;
import io.sessiond.websession.WebSessionAclFilter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * With ACLs on, each dialect's ACL filter refuses a resource method that declares no permission (or two, or
 * one naming its resource in a way the dialect cannot resolve) with 403 in the dialect's format, before
 * any token is looked up: nothing reaches such a method. The filters run here on their own, with the
 * request and resource method stubbed; no token store is needed, because none may be consulted.
 */
class AclFiltersFailClosedTest {

    private static final String REFUSAL = "Permission denied: this endpoint declares no ACL permission";

    /** Resource methods as a new endpoint might be written. */
    static class Endpoints {

        public String undeclared() {
            return "reached";
        }

        @Requires(kind = ResourceKind.KEY, access = Access.READ, name = Subject.KV_KEY)
        @CheckedByResource(CheckedByResource.Why.NO_TOKEN_NEEDED)
        public String declaredTwice() {
            return "reached";
        }

        /** Only the admin API names sessions by their node. */
        @Requires(kind = ResourceKind.SESSION, access = Access.READ, name = Subject.SESSION_NODE)
        public String namedBySessionNode() {
            return "reached";
        }

        /** Only Consul's API has KV keys. */
        @Requires(kind = ResourceKind.KEY, access = Access.READ, name = Subject.KV_KEY)
        public String namedByKvKey() {
            return "reached";
        }

        @CheckedByResource(CheckedByResource.Why.NO_TOKEN_NEEDED)
        public String open() {
            return "reached";
        }
    }

    private final AccessControl aclsOn = new AccessControl(config(true), null);
    /** Has no HTTP request: a filter that looked up the token would fail, not refuse. */
    private final Caller caller = new Caller(null, aclsOn);
    private final JsonApiErrors jsonApi = new JsonApiErrors(new ObjectMapper());

    @Test
    void consulRefusesAnUndeclaredMethodInPlainText() {
        for (String method : new String[]{"undeclared", "declaredTwice", "namedBySessionNode"}) {
            ConsulAclFilter filter = new ConsulAclFilter(aclsOn, caller, null, resource(method), null);
            AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                    () -> filter.filter(request(new AtomicReference<>())), method);
            Response response = new ConsulExceptionMappers().denied(refused);
            assertEquals(403, response.getStatus());
            assertEquals("text/plain", response.getMediaType().toString().replaceAll(";.*", ""));
            assertEquals(REFUSAL, response.getEntity());
        }
    }

    @Test
    void theAdminApiRefusesAnUndeclaredMethodWithAJsonApiError() {
        for (String method : new String[]{"undeclared", "declaredTwice", "namedByKvKey"}) {
            assertRefusedAsErrorDocument(new AdminAclFilter(aclsOn, caller, null, jsonApi, resource(method)), method);
        }
    }

    @Test
    void theWebSessionApiRefusesAnUndeclaredMethodWithAnErrorDocument() {
        for (String method : new String[]{"undeclared", "declaredTwice", "namedBySessionNode", "namedByKvKey"}) {
            assertRefusedAsErrorDocument(new WebSessionAclFilter(aclsOn, caller, jsonApi, resource(method)), method);
        }
    }

    /** The stubs themselves let a declared method through: the refusals above are for the missing declaration. */
    @Test
    void aMethodDeclaredOpenPasses() throws Exception {
        AtomicReference<Response> aborted = new AtomicReference<>();
        new ConsulAclFilter(aclsOn, caller, null, resource("open"), null).filter(request(aborted));
        new AdminAclFilter(aclsOn, caller, null, jsonApi, resource("open")).filter(request(aborted));
        new WebSessionAclFilter(aclsOn, caller, jsonApi, resource("open")).filter(request(aborted));
        assertNull(aborted.get());
    }

    private void assertRefusedAsErrorDocument(ContainerRequestFilter filter, String method) {
        AtomicReference<Response> aborted = new AtomicReference<>();
        try {
            filter.filter(request(aborted));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Response response = aborted.get();
        assertEquals(403, response.getStatus(), method);
        assertEquals(JsonApiErrors.MEDIA_TYPE, response.getMediaType().toString());
        assertEquals("{\"errors\":[{\"status\":\"403\",\"title\":\"Forbidden\",\"detail\":\"" + REFUSAL + "\"}]}",
                response.getEntity());
    }

    private static ResourceInfo resource(String name) {
        Method method;
        try {
            method = Endpoints.class.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        return new ResourceInfo() {
            @Override
            public Method getResourceMethod() {
                return method;
            }

            @Override
            public Class<?> getResourceClass() {
                return Endpoints.class;
            }
        };
    }

    /** A request with no query parameters; {@code abortWith} leaves its response in {@code aborted}. */
    private static ContainerRequestContext request(AtomicReference<Response> aborted) {
        UriInfo uri = proxy(UriInfo.class, (method, args) -> switch (method.getName()) {
            case "getQueryParameters", "getPathParameters" -> new MultivaluedHashMap<String, String>();
            case "getPath" -> "/";
            default -> throw new UnsupportedOperationException(method.getName());
        });
        return proxy(ContainerRequestContext.class, (method, args) -> switch (method.getName()) {
            case "getUriInfo" -> uri;
            case "getMethod" -> "GET";
            case "abortWith" -> {
                aborted.set((Response) args[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
        });
    }

    private static SessiondConfig config(boolean aclEnabled) {
        SessiondConfig.Acl acl = proxy(SessiondConfig.Acl.class, (method, args) -> switch (method.getName()) {
            case "enabled" -> aclEnabled;
            default -> throw new UnsupportedOperationException(method.getName());
        });
        return proxy(SessiondConfig.class, (method, args) -> switch (method.getName()) {
            case "acl" -> acl;
            default -> throw new UnsupportedOperationException(method.getName());
        });
    }

    private interface Handler {
        Object handle(Method method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (self, method, args) -> handler.handle(method, args)));
    }
}
