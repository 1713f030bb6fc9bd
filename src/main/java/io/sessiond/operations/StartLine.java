package io.sessiond.operations;

import io.quarkus.runtime.StartupEvent;
import io.sessiond.catalog.LocalNode;
import io.sessiond.config.SessiondConfig;
import io.sessiond.go.GoDuration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line at each start with what an operator needs to tell instances apart: the version, the node, the
 * database (its URL without any password) and the settings that change behavior. No secret is in it: not
 * the database password, not the ACL's initial management token, not a cookie signing secret or key (only
 * whether one is set).
 */
@ApplicationScoped
public class StartLine {

    private static final Logger LOG = Logger.getLogger("io.sessiond");

    /** A password in a JDBC URL: a {@code password=} parameter, or the password of {@code user:password@}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)((?:[?&;])password=)[^&;]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    private final String line;

    public StartLine(SessiondConfig config, LocalNode localNode,
                     @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version,
                     @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> databaseUrl,
                     @ConfigProperty(name = "quarkus.datasource.username") Optional<String> databaseUser,
                     @ConfigProperty(name = "quarkus.http.port") int port,
                     @ConfigProperty(name = "quarkus.log.console.json.enabled", defaultValue = "false") boolean jsonLogs,
                     @ConfigProperty(name = "sessiond.web.encryption-key") Optional<String> encryptionKey) {
        this.line = String.format("sessiond %s: node %s in datacenter %s, database %s as %s, HTTP port %d; "
                        + "ACLs %s, on shutdown %s, sweeper every %s, heartbeat every %s (dead after %s), "
                        + "web session data %s, access log %s, logs as %s",
                version, localNode.name(), config.datacenter(),
                databaseUrl.map(StartLine::withoutPassword).orElse("(none)"), databaseUser.orElse("(none)"), port,
                config.acl().enabled() ? "enabled, default " + config.acl().defaultPolicy().name().toLowerCase() : "disabled",
                config.onShutdown().name().toLowerCase(), config.sweeper().interval(), config.heartbeat().interval(),
                GoDuration.format(config.heartbeat().deadAfter().toNanos()), encryptionKey.filter(key -> !key.isEmpty()).isPresent() ? "encrypted" : "in clear",
                config.accessLog().enabled() ? "on" : "off", jsonLogs ? "JSON" : "text");
    }

    void log(@Observes StartupEvent startup) {
        LOG.info(line);
    }

    /** The URL as logged. */
    static String withoutPassword(String url) {
        return URL_USER_INFO.matcher(URL_PASSWORD.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }
}
