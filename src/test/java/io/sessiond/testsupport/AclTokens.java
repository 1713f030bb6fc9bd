package io.sessiond.testsupport;

import io.restassured.http.ContentType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * ACL set-up through the Consul API for tests with ACLs enabled: a management token from the bootstrap,
 * and policies and tokens made with it. The bootstrap happens once per database, so a test that runs
 * it itself first resets the ACL tables to their migrated state.
 */
public final class AclTokens {

    private static String management;

    private AclTokens() {
    }

    /** A management token, bootstrapping on first use. */
    public static String management(DataSource database) {
        if (management == null) {
            resetAndBootstrap(database);
        }
        return management;
    }

    /** Back to the state after migration: only the built-in policy and the anonymous token, no bootstrap. */
    public static void reset(DataSource database) {
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.executeUpdate("DELETE FROM acl_bootstrap");
            sql.executeUpdate("DELETE FROM acl_tokens WHERE accessor_id <> '00000000-0000-0000-0000-000000000002'");
            sql.executeUpdate("DELETE FROM acl_token_policies");
            sql.executeUpdate("DELETE FROM acl_policies WHERE id <> '00000000-0000-0000-0000-000000000001'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        management = null;
    }

    /** Resets, bootstraps, and remembers the new management token. */
    public static String resetAndBootstrap(DataSource database) {
        reset(database);
        management = given().when().put("/v1/acl/bootstrap").then().statusCode(200).extract().path("SecretID");
        return management;
    }

    /** Remembers a management token a test bootstrapped itself. */
    public static void useManagement(String secret) {
        management = secret;
    }

    /** Creates a policy with these rules (Consul's JSON syntax) and returns its ID. */
    public static String policy(String management, String name, String rules) {
        return given().header("X-Consul-Token", management).contentType(ContentType.JSON)
                .body(Map.of("Name", name, "Rules", rules))
                .when().put("/v1/acl/policy")
                .then().statusCode(200).extract().path("ID");
    }

    /** Creates a token linked to the named policies and returns its SecretID. */
    public static String token(String management, String description, String... policyNames) {
        List<Map<String, String>> links = Arrays.stream(policyNames)
                .map(name -> Map.of("Name", name)).toList();
        return given().header("X-Consul-Token", management).contentType(ContentType.JSON)
                .body(Map.of("Description", description, "Policies", links))
                .when().put("/v1/acl/token")
                .then().statusCode(200).extract().path("SecretID");
    }

    /** A token with one fresh policy holding {@code rules}; the policy name is unique. */
    public static String withRules(String management, String rules) {
        String name = "p-" + UUID.randomUUID().toString().substring(0, 8);
        policy(management, name, rules);
        return token(management, "token for " + name, name);
    }
}
