package io.sessiond.acl;

/**
 * A request its token may not make; the message is Consul's text. Dialects answer 403 (Consul: plain
 * text; other dialects in their error document). Nothing was written when it is thrown.
 */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message, null, false, false);
    }

    /** The request's token (or an ACL object it names) does not exist. */
    public static AccessDeniedException aclNotFound() {
        return new AccessDeniedException("ACL not found");
    }

    static AccessDeniedException lacking(String accessorId, ResourceKind kind, Access access, String name) {
        String message = "Permission denied: token with AccessorID '" + accessorId + "' lacks permission '"
                + kind.wire() + ":" + access.wire() + "'";
        return new AccessDeniedException(kind.named() ? message + " on " + goQuote(name) : message);
    }

    /** Go's %q of a name: quotes and backslashes escaped. */
    private static String goQuote(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
