package io.sessiond.acl;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Enforces the permission a resource method declares ({@link Requires} or {@link CheckedByResource}), for
 * every dialect's ACL filter; the dialect supplies how its requests name resources. Fails closed: a method
 * with no declaration, with both, or naming a subject its dialect does not resolve, is refused before its
 * token is even looked up.
 */
public final class AclDeclarations {

    private AclDeclarations() {
    }

    /** Whether {@code method} declares exactly one way its permission is checked. */
    public static boolean declared(Method method) {
        return method != null
                && (method.isAnnotationPresent(Requires.class) != method.isAnnotationPresent(CheckedByResource.class));
    }

    /**
     * Checks, before {@code method} runs, what it declares for this request: throws
     * {@link AccessDeniedException} (Consul's text) when the token may not, or when nothing usable is declared.
     *
     * @param queryParameters the names of the request's query parameters
     * @param subjects        the subjects the dialect resolves; a method naming its resource otherwise is refused
     * @param names           the name of the resource the request names by each of {@code subjects}; empty
     *                        when the named thing does not exist (nothing is then required: the method
     *                        answers not found)
     */
    public static void enforce(Method method, Caller caller, Set<String> queryParameters, Set<Subject> subjects,
                               Function<Subject, Optional<String>> names) {
        if (!declared(method)) {
            throw undeclared();
        }
        Requires requires = method.getAnnotation(Requires.class);
        if (requires != null && !subjects.contains(requires.name())) {
            throw undeclared();
        }
        CheckedByResource byResource = method.getAnnotation(CheckedByResource.class);
        if (byResource != null) {
            switch (byResource.value()) {
                case NO_TOKEN_NEEDED, SESSION_WRITE -> { }
                // Resolved first, so that an unknown token is refused before anything is read or decoded.
                case NAMED_IN_BODY, FILTERED_READ -> caller.authorizer();
            }
            return;
        }
        Authorizer authorizer = caller.authorizer();
        if (Arrays.stream(requires.filteredWith()).anyMatch(queryParameters::contains)) {
            return;
        }
        Optional<String> name = requires.name() == Subject.NOTHING ? Optional.of("") : names.apply(requires.name());
        if (name.isEmpty()) {
            return;
        }
        boolean everythingUnder = Arrays.stream(requires.everythingUnderWith()).anyMatch(queryParameters::contains);
        authorizer.require(new Permission(requires.kind(), name.get(), requires.access(), everythingUnder));
    }

    /** The refusal of an endpoint that declares no permission. */
    public static AccessDeniedException undeclared() {
        return new AccessDeniedException("Permission denied: this endpoint declares no ACL permission");
    }
}
