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

    Heartbeat heartbeat();

    Activity activity();

    Admin admin();

    Acl acl();

    /** What a graceful shutdown does to this instance's node. */
    @WithDefault("keep")
    OnShutdown onShutdown();

    enum OnShutdown {
        /** Nothing: the sessions made through it live on; if it does not come back, peers declare it dead. */
        KEEP,
        /** Its serfHealth check turns critical, which ends the sessions made through it (a Consul leave). */
        LEAVE,
        /** The node is removed with its checks; its sessions end. */
        DEREGISTER
    }

    /** Consul's ACL system: tokens, policies and their enforcement on every API. */
    interface Acl {
        /** Off by default: then every request may do everything and /v1/acl answers 401. */
        @WithDefault("false")
        boolean enabled();

        /** What a token may do where none of its rules applies (Consul's {@code acl.default_policy}). */
        @WithDefault("allow")
        DefaultPolicy defaultPolicy();

        /**
         * A management token's secret, created at start-up if missing (Consul's
         * {@code acl.tokens.initial_management}); it takes the place of the bootstrap.
         */
        Optional<String> initialManagementToken();

        /** The shortest time to expiry a token may be created with (Consul's {@code acl_token_min_expiration_ttl}). */
        @WithDefault("1m")
        Duration tokenMinExpirationTtl();

        /** The longest time to expiry a token may be created with (Consul's {@code acl_token_max_expiration_ttl}). */
        @WithDefault("24h")
        Duration tokenMaxExpirationTtl();

        enum DefaultPolicy { ALLOW, DENY }
    }

    interface Heartbeat {
        /** How often this instance records that it is alive, and looks for dead peers and expired TTL checks. */
        @WithDefault("2s")
        String interval();

        /** An instance whose heartbeat is older than this is dead: its serfHealth turns critical. */
        @WithDefault("15s")
        Duration deadAfter();

        /**
         * When no instance has recorded a heartbeat for this long (the database was unreachable, or every
         * instance was down), the cluster's clock stops: nothing expires for the renewals and heartbeats the
         * outage prevented, and the first heartbeat after it pushes every deadline by the outage's length.
         * More than the interval (a late heartbeat is no outage); less than dead-after minus two intervals.
         */
        @WithDefault("5s")
        Duration outageAfter();
    }

    Metrics metrics();

    AccessLog accessLog();

    interface Metrics {
        /** How often the gauges counted in the database (live sessions, web sessions, sweeper lag) are counted. */
        @WithDefault("10s")
        String refreshInterval();
    }

    interface AccessLog {
        /** One line per HTTP request (category {@code io.sessiond.access}), secrets masked. */
        @WithDefault("false")
        boolean enabled();
    }

    interface Activity {
        /** How often the counted use of sessions by their clients is written to the database. */
        @WithDefault("1s")
        String flushInterval();
    }

    interface Admin {
        /**
         * The base URL the admin API (JSON:API) writes its links with, e.g. {@code https://sessiond.example.com};
         * unset: the scheme, host and port the request was sent to.
         */
        Optional<String> publicUrl();
    }

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

        /**
         * How many expired sessions one sweep transaction invalidates at most: large enough that a backlog
         * clears at the speed of PostgreSQL's row work rather than of commits, small enough that the
         * sessions table's change index, which the transaction holds until it commits, is not held from
         * creates and destroys for long (see docs/performance.md, "Sweeper at scale").
         */
        @WithDefault("2000")
        int batchSize();
    }
}
