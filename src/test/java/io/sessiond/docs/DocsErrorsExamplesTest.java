package io.sessiond.docs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sessiond.testsupport.DocExamples;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bad requests of docs/errors.md, run with bash and curl as written, against this test's server. */
@QuarkusTest
class DocsErrorsExamplesTest {

    @Test
    void theBadRequestsAreAnsweredAsTheDocsSay() throws Exception {
        List<DocExamples.Step> steps = DocExamples.read("docs/errors.md", "bad-requests");
        for (DocExamples.Outcome outcome : DocExamples.run(steps, RestAssured.port)) {
            assertEquals(outcome.expectedNormalized(), outcome.actualNormalized(),
                    "what `" + outcome.step().command() + "` printed");
        }
    }
}
