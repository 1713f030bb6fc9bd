package io.sessiond.docs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sessiond.testsupport.DocExamples;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's quick start, run with bash and curl as written, against this test's server. */
@QuarkusTest
class ReadmeQuickStartTest {

    @Test
    void theQuickStartPrintsWhatTheReadmeSays() throws Exception {
        List<DocExamples.Step> steps = DocExamples.read("README.md", "quick-start");
        for (DocExamples.Outcome outcome : DocExamples.run(steps, RestAssured.port)) {
            assertEquals(outcome.expectedNormalized(), outcome.actualNormalized(),
                    "what `" + outcome.step().command() + "` printed");
        }
    }
}
