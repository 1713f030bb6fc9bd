package io.sessiond.docs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sessiond.testsupport.DocExamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shell examples of the README and docs/, run with bash and curl as written against this test's server:
 * each command must print what the docs show below it.
 */
@QuarkusTest
class DocExamplesTest {

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({
            "README.md, quick-start",
            "docs/errors.md, bad-requests",
            "README.md, lock-quick-start",
            "docs/cli.md, cli-lock",
            "docs/cli.md, cli-kv",
            "docs/cli.md, cli-watch",
            "docs/cli.md, cli-sessions",
    })
    void printsWhatTheDocsSay(String file, String example) throws Exception {
        for (DocExamples.Outcome outcome : DocExamples.run(DocExamples.read(file, example), RestAssured.port)) {
            assertEquals(outcome.expectedNormalized(), outcome.actualNormalized(),
                    file + ": what `" + outcome.step().command() + "` printed");
        }
    }
}
