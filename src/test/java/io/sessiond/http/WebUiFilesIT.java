package io.sessiond.http;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link WebUiFilesTest} against the packaged artifact: its static files are in the jar and the native executable. */
@QuarkusIntegrationTest
class WebUiFilesIT extends WebUiFilesTest {
}
