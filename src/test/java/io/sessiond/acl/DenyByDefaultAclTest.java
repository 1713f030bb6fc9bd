package io.sessiond.acl;

import io.restassured.specification.RequestSpecification;
import io.sessiond.testsupport.AclTokens;
import io.sessiond.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;

import javax.sql.DataSource;

import static io.restassured.RestAssured.given;

/** What the tests under ACLs with default policy deny share: a management token and a token carrier. */
abstract class DenyByDefaultAclTest {

    /** Consul's fixed AccessorID of the anonymous token. */
    static final String ANONYMOUS = "00000000-0000-0000-0000-000000000002";
    /** The test instance's own node (%test.sessiond.node-name). */
    static final String NODE = "sessiond-test";

    /** The test database through JDBC, not injected: {@link AclEnforcementIT} runs against the packaged artifact. */
    DataSource database;

    String management;

    @BeforeEach
    void managementToken() {
        database = TestDatabase.dataSource();
        management = AclTokens.management(database);
    }

    static RequestSpecification as(String token) {
        return given().header("X-Consul-Token", token);
    }
}
