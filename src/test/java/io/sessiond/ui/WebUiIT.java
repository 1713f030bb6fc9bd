package io.sessiond.ui;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.sessiond.testsupport.NodeScript;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The web UI in a real browser against the packaged application (the jar, and in CI the native executable too):
 * {@code src/test/ui/ui-test.mjs} drives Debian's Chromium with playwright-core, ACLs off. What it checks is listed
 * in that script; {@link WebUiAclIT} runs its ACL part.
 */
@QuarkusIntegrationTest
class WebUiIT {

    @Test
    void theUiShowsAndControlsSessionsLocksNodesAndWebSessions() throws Exception {
        BrowserTests.run("open");
    }

    /** Runs one suite of the script against this test's server and fails with its output unless every step passed. */
    static final class BrowserTests {

        private BrowserTests() {
        }

        static void run(String suite, String... more) throws Exception {
            BrowserTests.requireChromium();
            String base = "http://localhost:" + RestAssured.port;
            String[] args = new String[2 + more.length];
            args[0] = base;
            args[1] = suite;
            System.arraycopy(more, 0, args, 2, more.length);
            try (NodeScript script = NodeScript.startIn(NodeScript.UI, "ui-test.mjs", args)) {
                int exit = script.await(Duration.ofMinutes(5));
                System.out.println(script.output());
                if (exit != 0 || !script.output().contains(" passed, 0 failed")) {
                    throw new AssertionError("browser tests (" + suite + ") failed:\n" + script.output());
                }
            }
        }

        /**
         * CI must run these tests: without Chromium they fail there (.ci/run installs it). On a developer's machine
         * without it they are skipped, saying so.
         */
        static void requireChromium() {
            String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
            if (new java.io.File(chromium).canExecute()) {
                return;
            }
            String message = "Chromium is not installed at " + chromium + " (apt-get install chromium): the web UI's "
                    + "browser tests cannot run";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            System.out.println("SKIPPED: " + message);
            org.junit.jupiter.api.Assumptions.abort(message);
        }
    }
}
