package io.sessiond.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link DocExamples} reads an example of the docs and compares what a command printed with it. */
class DocExamplesReadingTest {

    @Test
    void commandsGoOnAfterABackslashOrInsideAQuoteAndProseIsNotPartOfTheExample(@TempDir Path directory)
            throws Exception {
        Path doc = directory.resolve("doc.md");
        Files.writeString(doc, String.join("\n",
                "Before.",
                "<!-- demo: run by DocExamplesTest -->",
                "    $ curl -s localhost:8500/a \\",
                "         -d x",
                "    one",
                "",
                "Prose between two commands.",
                "",
                "    $ curl -s localhost:8500/b -d '{\"a\":1,",
                "         \"b\":2}'",
                "    two",
                "<!-- end of demo -->",
                "After."));

        List<DocExamples.Step> steps = DocExamples.read(doc.toString(), "demo");

        assertEquals(List.of(
                new DocExamples.Step("curl -s localhost:8500/a \\\n     -d x", "one"),
                new DocExamples.Step("curl -s localhost:8500/b -d '{\"a\":1,\n     \"b\":2}'", "two")), steps);
    }

    @Test
    void anEllipsisStandsForAnyTextAndNothingElseIsLoose() {
        DocExamples.Step step = new DocExamples.Step("true", "{\"a\":1,...,\"z\":26}");

        assertTrue(new DocExamples.Outcome(step, "{\"a\":1,\"b\":2,\n\"y\":25,\"z\":26}").matches());
        assertTrue(new DocExamples.Outcome(step, "{\"a\":1,,\"z\":26}").matches());
        assertFalse(new DocExamples.Outcome(step, "{\"a\":2,\"b\":2,\"z\":26}").matches());
        assertFalse(new DocExamples.Outcome(step, "{\"a\":1,\"z\":26} and more").matches());
        assertFalse(new DocExamples.Outcome(new DocExamples.Step("true", "exact"), "exactly").matches());
    }

    @Test
    void whatDiffersFromRunToRunIsNormalized() {
        assertEquals("<uuid> <hex> \"CreateIndex\":<index> <time> <time> ETag: W/\"<etag>\"\nX-Consul-Index: <number>",
                DocExamples.normalize("6f4e3f0c-2a55-4b0e-9c1e-0b7d3f1f2a10 51316e0c17686ff42d69001956058950"
                        + " \"CreateIndex\":12 2026-11-23T16:18:21.054308Z Mon, 23 Nov 2026 16:17:40 GMT"
                        + " ETag: W/\"96fdb0c0\"\r\nX-Consul-Index: 57"));
        assertEquals("\"LockIndex\":1 port 48274 \"idle\":0.6", DocExamples.normalize("\"LockIndex\":1 port 48274 \"idle\":0.6"));
    }
}
