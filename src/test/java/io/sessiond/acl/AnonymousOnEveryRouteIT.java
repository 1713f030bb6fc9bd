package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link AnonymousOnEveryRouteTest}'s default deny on every route, against the packaged artifact. */
@QuarkusIntegrationTest
@TestProfile(AclDenyOverHttpProfile.class)
class AnonymousOnEveryRouteIT extends AnonymousOnEveryRouteTest {
}
