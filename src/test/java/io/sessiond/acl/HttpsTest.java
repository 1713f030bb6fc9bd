package io.sessiond.acl;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.testsupport.AclTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.sql.DataSource;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HTTPS with a certificate from the TLS registry ({@code quarkus.tls.*}): a client that trusts only the
 * test certificate reaches sessiond, is served that very certificate, and its token works as over HTTP.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class HttpsTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Inject
    DataSource database;

    @Test
    void requestsAreServedWithTheConfiguredCertificate() throws Exception {
        Certificate testCertificate;
        try (InputStream pem = getClass().getClassLoader().getResourceAsStream("tls/sessiond-test-cert.pem")) {
            testCertificate = CertificateFactory.getInstance("X.509").generateCertificate(pem);
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("sessiond-test", testCertificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        assertEquals("https", https.getProtocol());

        HttpResponse<String> leader = client.send(HttpRequest.newBuilder(https.toURI().resolve("/v1/status/leader")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, leader.statusCode());
        assertEquals(testCertificate, leader.sslSession().orElseThrow().getPeerCertificates()[0]);

        String management = AclTokens.management(database);
        URI self = https.toURI().resolve("/v1/acl/token/self");
        assertEquals(200, client.send(HttpRequest.newBuilder(self).header("X-Consul-Token", management).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(https.toURI().resolve("/v1/kv/any")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, anonymous.statusCode());
    }
}
