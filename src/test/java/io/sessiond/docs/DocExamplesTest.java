package io.sessiond.docs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sessiond.testsupport.DocExamples;
import io.sessiond.testsupport.Kv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sql.DataSource;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shell examples of the README and docs/, run with bash and curl as written against this test's server:
 * each command must print what the docs show below it. The ACL examples, which need ACLs on, are
 * {@link AclDocExamplesTest}'s.
 */
@QuarkusTest
class DocExamplesTest {

    /** The keys the examples lock or write, which tests before them may have left locked or in lock-delay. */
    private static final String[] KEYS = {"jobs/nightly-report", "app/config/db", "service/leader", "billing/leader"};

    @Inject
    DataSource database;

    @BeforeEach
    void keysUnused() {
        Kv.forget(database, KEYS);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({
            "README.md, quick-start",
            "docs/errors.md, bad-requests",
            "docs/consul-api.md, sessions",
            "docs/consul-api.md, session-errors",
            "docs/consul-api.md, kv",
            "docs/consul-api.md, locks",
            "docs/consul-api.md, blocking-query",
            "docs/consul-api.md, catalog",
            "docs/consul-api.md, agent-checks",
            "docs/consul-api.md, agent-start-up",
            "docs/web-sessions.md, login-flow",
            "docs/web-sessions.md, stale-save",
            "docs/admin-api.md, admin-sessions",
            "docs/admin-api.md, admin-web-sessions",
    })
    void printsWhatTheDocsSay(String file, String example) throws Exception {
        assertPrintsWhatTheDocsSay(file, example);
    }

    /**
     * Runs the example and checks every command's output, reporting every mismatch at once; where the docs use
     * {@code ...} the expected text is shown with it, since any text matches there.
     */
    static void assertPrintsWhatTheDocsSay(String file, String example) throws Exception {
        List<DocExamples.Outcome> outcomes = DocExamples.run(DocExamples.read(file, example), RestAssured.port);
        assertAll(outcomes.stream().map(outcome -> (Executable) () -> {
            if (!outcome.matches()) {
                assertEquals(outcome.expectedNormalized(), outcome.actualNormalized(),
                        file + ": what `" + outcome.step().command() + "` printed");
            }
        }));
    }
}
