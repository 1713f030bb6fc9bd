package io.sessiond.docs;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.acl.AclDenyProfile;
import io.sessiond.testsupport.AclTokens;
import io.sessiond.testsupport.Kv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

/**
 * docs/acl.md's examples, run as written (see {@link DocExamplesTest}) with the set-up they describe: ACLs on,
 * default policy deny, no bootstrap yet, since the walk-through starts with one, and its lock's key unused.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclDocExamplesTest {

    @Inject
    DataSource database;

    @Test
    void theWalkThroughPrintsWhatTheDocsSay() throws Exception {
        AclTokens.reset(database);
        Kv.forget(database, "service/leader");
        DocExamplesTest.assertPrintsWhatTheDocsSay("docs/acl.md", "acl-walk-through");
    }
}
