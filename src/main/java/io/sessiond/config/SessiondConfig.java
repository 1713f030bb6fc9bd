package io.sessiond.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything under {@code sessiond.*}; what Quarkus already names keeps its Quarkus name. */
@ConfigMapping(prefix = "sessiond")
public interface SessiondConfig {

    /** This instance's node in the catalog. Defaults to the host name. */
    Optional<String> nodeName();

    /** The address this instance's node is registered with. */
    @WithDefault("127.0.0.1")
    String advertiseAddress();

    /** The only datacenter this server answers for ({@code ?dc=}). */
    @WithDefault("dc1")
    String datacenter();

    Session session();

    Sweeper sweeper();

    interface Session {
        /** Shortest non-zero TTL a session may ask for (Consul's {@code session_ttl_min}). */
        @WithDefault("10s")
        Duration ttlMin();

        /** Longest TTL a session may ask for. */
        @WithDefault("24h")
        Duration ttlMax();
    }

    interface Sweeper {
        /** How often expired sessions are looked for. */
        @WithDefault("1s")
        String interval();

        /** How many expired sessions one sweep transaction invalidates at most. */
        @WithDefault("500")
        int batchSize();
    }
}
