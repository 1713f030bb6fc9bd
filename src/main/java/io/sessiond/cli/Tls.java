package io.sessiond.cli;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/** The HTTPS set-up from Consul's TLS options: PEM CA certificates, a PEM client certificate and PKCS#8 key. */
final class Tls {

    private Tls() {
    }

    static SSLContext context(Path caFile, Path caPath, Path clientCert, Path clientKey, boolean skipVerify) {
        if ((clientCert == null) != (clientKey == null)) {
            throw new CliFailure(ExitCodes.USAGE, "--client-cert and --client-key go together");
        }
        try {
            TrustManager[] trust = skipVerify ? new TrustManager[] {new TrustingEveryone()} : trustManagers(caFile, caPath);
            KeyManagerFactory keys = null;
            if (clientCert != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                List<Certificate> chain = certificates(clientCert);
                store.setKeyEntry("client", privateKey(clientKey), new char[0], chain.toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            if (skipVerify) {
                // The JDK's HttpClient checks host names apart from the trust manager; this is its switch.
                System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw CliFailure.failed("cannot set up TLS: " + e.getMessage());
        }
    }

    /** The given CAs; the JDK's own when none is given. */
    private static TrustManager[] trustManagers(Path caFile, Path caPath) throws IOException, GeneralSecurityException {
        if (caFile == null && caPath == null) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        List<Path> files = new ArrayList<>();
        if (caFile != null) {
            files.add(caFile);
        }
        if (caPath != null) {
            try (Stream<Path> listed = Files.list(caPath)) {
                listed.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        int n = 0;
        for (Path file : files) {
            for (Certificate certificate : certificates(file)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException(file + " holds no certificate");
            }
            return certificates;
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file + " is not a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt");
        }
        String base64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisAlgorithm) {
                // The PEM does not say which; try the next.
            }
        }
        throw new GeneralSecurityException(file + " holds no RSA, EC or Ed25519 key");
    }

    /** --tls-skip-verify: any certificate is accepted, as Consul's flag does. */
    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
