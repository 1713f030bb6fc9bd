package io.sessiond.acl;

import io.quarkus.runtime.StartupEvent;
import io.sessiond.config.SessiondConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Turns a request's token into what it may do. With ACLs disabled every request may do everything and no
 * token is looked up; enabled, an absent or empty token is the anonymous token, an unknown one is refused.
 */
@ApplicationScoped
public class AccessControl {

    private final SessiondConfig config;
    private final AclService acl;

    public AccessControl(SessiondConfig config, AclService acl) {
        this.config = config;
        this.acl = acl;
    }

    public boolean enabled() {
        return config.acl().enabled();
    }

    /** The authorizer of the token with this SecretID; null or empty is the anonymous token. */
    public Authorizer authorize(String secret) {
        if (!enabled()) {
            return Authorizer.unrestricted();
        }
        AclToken token = acl.findBySecret(secret == null || secret.isEmpty() ? AclToken.ANONYMOUS_SECRET : secret)
                .orElseThrow(AccessDeniedException::aclNotFound);
        Rules rules = acl.policiesOf(token).stream().map(policy -> Rules.parse(policy.rules))
                .reduce(Rules.NONE, Rules::merge);
        Grant fallback = config.acl().defaultPolicy() == SessiondConfig.Acl.DefaultPolicy.ALLOW ? Grant.WRITE : Grant.DENY;
        return Authorizer.forToken(token.accessorId.toString(), rules, fallback);
    }

    /** After the schema is migrated (Flyway runs before start-up observers). */
    void createInitialManagementToken(@Observes StartupEvent startup) {
        if (enabled()) {
            config.acl().initialManagementToken().filter(secret -> !secret.isEmpty()).ifPresent(acl::ensureManagementToken);
        }
    }
}
