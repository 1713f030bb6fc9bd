package io.sessiond.acl;

import io.sessiond.catalog.HealthCheck;
import io.sessiond.catalog.Node;
import io.sessiond.session.Session;
import io.sessiond.session.SessionAdministration.ServiceSession;
import io.sessiond.session.SessionAdministration.ServiceSessions;
import io.sessiond.session.SessionDetails;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.sessiond.acl.AuthorizerTest.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link SessionAccess} and {@link CatalogAccess} decide by, with rows built in memory: a session by
 * its node (session rules), a node and a service by their names, a check by its node and its service.
 */
class SessionAndCatalogAccessTest {

    private final SessionAccess sessionAccess = new SessionAccess(null, null);
    private final CatalogAccess catalogAccess = new CatalogAccess();

    @Test
    void aSessionIsReadableWithSessionReadOnItsNode() {
        Authorizer token = token(rule("session_prefix", "web-", "read"), rule("node_prefix", "", "write"),
                rule("session", "web-2", "deny"));
        Session onWeb1 = session("web-1");
        Session onWeb2 = session("web-2");
        Session onDb1 = session("db-1");
        Authorizer.Filtered<Session> visible = sessionAccess.readable(token, List.of(onWeb1, onWeb2, onDb1));
        assertEquals(List.of(onWeb1), visible.items());
        assertTrue(visible.removedAny());

        SessionDetails details = new SessionDetails(onWeb1, List.of(), Instant.EPOCH);
        assertEquals(List.of(details), sessionAccess.readableDetails(token,
                List.of(details, new SessionDetails(onDb1, List.of(), Instant.EPOCH))).items());

        ServiceSession readable = new ServiceSession(UUID.randomUUID(), "web-1");
        Authorizer.Filtered<ServiceSession> ofService = sessionAccess.readableSessionsOf(token,
                new ServiceSessions("api", List.of(readable, new ServiceSession(UUID.randomUUID(), "db-1"))));
        assertEquals(List.of(readable), ofService.items());
        assertTrue(ofService.removedAny());
    }

    @Test
    void aNodeIsGuardedByItsNameAndAServiceByItsName() {
        Authorizer token = token(rule("node_prefix", "web-", "read"), rule("service", "api", "read"));
        Node web = node("web-1");
        Node db = node("db-1");
        assertTrue(catalogAccess.mayRead(token, web));
        assertFalse(catalogAccess.mayRead(token, db));
        assertEquals(List.of(web), catalogAccess.readableNodes(token, List.of(web, db)).items());
        assertEquals(List.of("api"), catalogAccess.readableServices(token, List.of("api", "db"), name -> name).items());
    }

    @Test
    void aCheckIsReadableWithNodeReadAndForAServiceCheckServiceReadAsWell() {
        Authorizer token = token(rule("node", "web-1", "read"), rule("service", "api", "read"));
        HealthCheck nodeCheck = check("web-1", "");
        HealthCheck apiCheck = check("web-1", "api");
        HealthCheck dbCheck = check("web-1", "db");
        HealthCheck elsewhere = check("web-2", "api");
        Authorizer.Filtered<HealthCheck> visible = catalogAccess.readableChecks(token,
                List.of(nodeCheck, apiCheck, dbCheck, elsewhere), check -> check);
        assertEquals(List.of(nodeCheck, apiCheck), visible.items());
        assertTrue(visible.removedAny());
    }

    @Test
    void registeringNeedsNodeWriteThenServiceWriteAndDeregisteringNodeWrite() {
        Authorizer nodeOnly = token(rule("node", "web-1", "write"));
        catalogAccess.requireRegister(nodeOnly, "web-1", null);
        catalogAccess.requireDeregister(nodeOnly, "web-1");
        assertEquals("Permission denied: token with AccessorID 'accessor' lacks permission 'service:write' on \"api\"",
                assertThrows(AccessDeniedException.class,
                        () -> catalogAccess.requireRegister(nodeOnly, "web-1", "api")).getMessage());
        Authorizer neither = token();
        assertEquals("Permission denied: token with AccessorID 'accessor' lacks permission 'node:write' on \"web-1\"",
                assertThrows(AccessDeniedException.class,
                        () -> catalogAccess.requireRegister(neither, "web-1", "api")).getMessage());
        assertThrows(AccessDeniedException.class, () -> catalogAccess.requireDeregister(neither, "web-1"));
        // A missing node name is the catalog's to refuse (400), not a denial.
        catalogAccess.requireRegister(neither, "", null);
        catalogAccess.requireDeregister(neither, null);
    }

    private static Authorizer token(String... policies) {
        Rules rules = Rules.NONE;
        for (String policy : policies) {
            rules = rules.merge(Rules.parse(policy));
        }
        return Authorizer.forToken("accessor", rules, Grant.DENY);
    }

    private static Session session(String node) {
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.node = node;
        return session;
    }

    private static Node node(String name) {
        Node node = new Node();
        node.name = name;
        return node;
    }

    private static HealthCheck check(String node, String serviceName) {
        HealthCheck check = new HealthCheck();
        check.node = node;
        check.serviceName = serviceName;
        return check;
    }
}
