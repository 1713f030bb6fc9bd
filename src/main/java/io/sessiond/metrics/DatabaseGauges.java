package io.sessiond.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gauges whose values are counts in the database (live sessions by node and behavior, live web
 * sessions, the sweeper's lag), shared by every instance on it. Counted every
 * {@code sessiond.metrics.refresh-interval} (as Consul aggregates its metrics every ten seconds) rather
 * than on each scrape, so that scrapers, however many, cost the database one count per interval.
 */
@ApplicationScoped
public class DatabaseGauges {

    public static final String JOB = "metrics-refresh";

    private static final Logger LOG = Logger.getLogger(DatabaseGauges.class);

    private static final String LIVE_SESSIONS = """
            SELECT node, behavior, count(*), count(*) FILTER (WHERE ttl_ns > 0) FROM sessions
            WHERE expires_at IS NULL OR expires_at > clock_timestamp()
            GROUP BY node, behavior""";
    private static final String LIVE_WEB_SESSIONS = """
            SELECT count(*) FROM web_sessions
            WHERE expires_at IS NULL OR expires_at > clock_timestamp()""";
    /** How long the oldest session past its expiry has waited for the sweeper, in seconds; 0 if none. */
    private static final String SWEEPER_LAG = """
            SELECT coalesce(extract(epoch FROM clock_timestamp() - min(expires_at)), 0) FROM sessions
            WHERE expires_at <= clock_timestamp()""";

    private final DataSource dataSource;
    private final MultiGauge sessionsActive;
    private final AtomicLong webSessionsActive = new AtomicLong();
    private final AtomicLong sessionsWithTtl = new AtomicLong();
    private volatile double sweeperLagSeconds;

    public DatabaseGauges(DataSource dataSource, SessiondMetrics metrics) {
        this.dataSource = dataSource;
        this.sessionsActive = MultiGauge.builder(SessiondMetrics.SESSIONS_ACTIVE)
                .description("Live sessions, by node and behavior").register(metrics.registry());
        Gauge.builder(SessiondMetrics.SESSIONS_WITH_TTL, sessionsWithTtl, AtomicLong::get)
                .description("Live sessions with a TTL (Consul's session_ttl.active)").register(metrics.registry());
        Gauge.builder(SessiondMetrics.WEB_SESSIONS_ACTIVE, webSessionsActive, AtomicLong::get)
                .description("Live web sessions").register(metrics.registry());
        Gauge.builder(SessiondMetrics.SWEEPER_LAG, this, gauges -> gauges.sweeperLagSeconds).baseUnit("seconds")
                .description("How long the oldest session past its expiry has waited for the sweeper")
                .register(metrics.registry());
    }

    @Scheduled(identity = JOB, every = "${sessiond.metrics.refresh-interval}",
            delayed = "${sessiond.metrics.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            long withTtl = 0;
            try (ResultSet found = statement.executeQuery(LIVE_SESSIONS)) {
                while (found.next()) {
                    rows.add(MultiGauge.Row.of(Tags.of("node", found.getString(1), "behavior", found.getString(2)),
                            found.getLong(3)));
                    withTtl += found.getLong(4);
                }
            }
            sessionsActive.register(rows, true);
            sessionsWithTtl.set(withTtl);
            webSessionsActive.set(single(statement, LIVE_WEB_SESSIONS).longValue());
            sweeperLagSeconds = single(statement, SWEEPER_LAG).doubleValue();
        } catch (SQLException e) {
            // The readiness check reports the database; the gauges keep their last values meanwhile.
            LOG.debugf("Counting the gauges failed: %s", e.getMessage());
        }
    }

    private static Number single(Statement statement, String sql) throws SQLException {
        try (ResultSet found = statement.executeQuery(sql)) {
            found.next();
            return (Number) found.getObject(1);
        }
    }
}
