package io.sessiond.cli;

import io.sessiond.client.SessiondClient;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where sessiond is and how to talk to it: Consul's CLI options, each defaulting to Consul's environment
 * variable ({@code SESSIOND_HTTP_ADDR} before {@code CONSUL_HTTP_ADDR}). Every command mixes these in.
 */
final class Connection {

    static final String DEFAULT_ADDRESS = "127.0.0.1:8500";

    @Option(names = "--http-addr", paramLabel = "ADDR",
            description = "sessiond's address: [http://|https://]host:port (env SESSIOND_HTTP_ADDR, CONSUL_HTTP_ADDR; default "
                    + DEFAULT_ADDRESS + ").")
    String httpAddr;

    @Option(names = "--token", paramLabel = "TOKEN", description = "ACL token (env CONSUL_HTTP_TOKEN).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the ACL token (env CONSUL_HTTP_TOKEN_FILE).")
    Path tokenFile;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM file of the CAs to trust for HTTPS (env CONSUL_CACERT).")
    Path caFile;

    @Option(names = "--ca-path", paramLabel = "DIR", description = "Directory of PEM files of CAs to trust (env CONSUL_CAPATH).")
    Path caPath;

    @Option(names = "--client-cert", paramLabel = "FILE", description = "PEM client certificate for HTTPS (env CONSUL_CLIENT_CERT).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "PEM (PKCS#8) private key of --client-cert (env CONSUL_CLIENT_KEY).")
    Path clientKey;

    @Option(names = "--tls-skip-verify", description = "Do not verify the server's certificate (env CONSUL_HTTP_SSL_VERIFY=false).")
    Boolean tlsSkipVerify;

    /** The settings these options and {@code environment} give: an option wins over its variable. */
    Settings settings(Map<String, String> environment) {
        String address = firstOf(httpAddr, environment.get("SESSIOND_HTTP_ADDR"), environment.get("CONSUL_HTTP_ADDR"),
                DEFAULT_ADDRESS);
        boolean https = "true".equalsIgnoreCase(environment.getOrDefault("CONSUL_HTTP_SSL", ""));
        Path tokenPath = tokenFile != null ? tokenFile : pathOf(environment.get("CONSUL_HTTP_TOKEN_FILE"));
        String tokenText = token != null ? token : tokenPath != null ? readToken(tokenPath) : environment.get("CONSUL_HTTP_TOKEN");
        boolean skipVerify = tlsSkipVerify != null ? tlsSkipVerify
                : "false".equalsIgnoreCase(environment.getOrDefault("CONSUL_HTTP_SSL_VERIFY", ""));
        return new Settings(baseUrl(address, https), tokenText == null || tokenText.isEmpty() ? null : tokenText,
                caFile != null ? caFile : pathOf(environment.get("CONSUL_CACERT")),
                caPath != null ? caPath : pathOf(environment.get("CONSUL_CAPATH")),
                clientCert != null ? clientCert : pathOf(environment.get("CONSUL_CLIENT_CERT")),
                clientKey != null ? clientKey : pathOf(environment.get("CONSUL_CLIENT_KEY")),
                skipVerify);
    }

    /** A client for these options and the process's environment. */
    Api open() {
        return settings(System.getenv()).open();
    }

    /** What the options resolved to. */
    record Settings(URI baseUrl, String token, Path caFile, Path caPath, Path clientCert, Path clientKey,
                    boolean tlsSkipVerify) {

        Api open() {
            SessiondClient.Builder builder = SessiondClient.builder(baseUrl).token(token);
            if (baseUrl.getScheme().equals("https")) {
                SSLContext tls = Tls.context(caFile, caPath, clientCert, clientKey, tlsSkipVerify);
                builder.sslContext(tls);
            }
            return new Api(builder.build(), baseUrl);
        }
    }

    /** {@code host:port} as Consul takes it: with a scheme, or http (https when CONSUL_HTTP_SSL=true) without. */
    static URI baseUrl(String address, boolean https) {
        String withScheme = address.contains("://") ? address : (https ? "https://" : "http://") + address;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "the address '" + address + "' is not a URL or host:port");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new CliFailure(ExitCodes.USAGE, "the address '" + address + "' is not http(s)://host:port or host:port");
        }
        return uri;
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw CliFailure.failed("cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    private static Path pathOf(String value) {
        return value == null || value.isEmpty() ? null : Path.of(value);
    }

    private static String firstOf(String... values) {
        return Stream.of(values).filter(value -> value != null && !value.isEmpty()).findFirst().orElseThrow();
    }
}
