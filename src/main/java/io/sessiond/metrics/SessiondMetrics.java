package io.sessiond.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every meter sessiond records, each behind a one-line call that the domain makes where the event happens
 * (the domain never builds a meter itself). The meters live in Quarkus's registry, served at
 * {@code /q/metrics}; {@code consul.ConsulMetricsView} renders the same meters at Consul's {@code /v1/agent/metrics}.
 * Built without Micrometer ({@code -Dquarkus.micrometer.enabled=false}) they live in a registry of their
 * own, so that Consul's endpoint still works.
 *
 * <p>Tags take values from small fixed sets (a cause, an outcome, an operation, a job) or, for the sessions
 * gauge, the catalog's node names: never a session ID, a key or a token.
 */
@ApplicationScoped
public class SessiondMetrics {

    /** Why sessions ended: the {@code cause} tag of {@link #SESSIONS_INVALIDATED}. */
    public enum Cause {
        TTL, DESTROY, CHECK, NODE, ADMIN;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a lock request came to: the {@code outcome} tag of {@link #KV_LOCKS}. */
    public enum LockOutcome {
        WON("won"), LOST("lost"), LOCK_DELAY("lock-delay");

        private final String tag;

        LockOutcome(String tag) {
            this.tag = tag;
        }
    }

    public static final String SESSIONS_ACTIVE = "sessiond.sessions.active";
    public static final String SESSION_WRITES = "sessiond.session.writes";
    public static final String SESSIONS_INVALIDATED = "sessiond.sessions.invalidated";
    public static final String KV_LOCKS = "sessiond.kv.locks";
    public static final String KV_WRITES = "sessiond.kv.writes";
    public static final String BLOCKING_PARKED = "sessiond.blocking.parked";
    public static final String BLOCKING_WAKEUP = "sessiond.blocking.wakeup";
    public static final String SWEEPER_LAG = "sessiond.sweeper.lag";
    public static final String SWEEP_BATCH = "sessiond.sweeper.batch";
    public static final String SWEPT = "sessiond.sweeper.removed";
    public static final String GROUP_COMMIT_BATCH = "sessiond.group_commit.batch_size";
    public static final String WEB_SESSIONS_ACTIVE = "sessiond.web_sessions.active";
    public static final String ACL_DENIALS = "sessiond.acl.denials";
    public static final String SESSIONS_WITH_TTL = "sessiond.sessions.with_ttl";

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(SESSION_WRITES, "Session creates, renews and destroys, from request to commit"),
            Map.entry(SESSIONS_INVALIDATED, "Sessions ended, by cause"),
            Map.entry(KV_LOCKS, "KV lock acquisitions: won, lost to another holder, refused during a lock-delay"),
            Map.entry(KV_WRITES, "KV writes, by operation, commit included"),
            Map.entry(BLOCKING_WAKEUP, "Blocking queries: from the change that woke them to their answer"),
            Map.entry(SWEEP_BATCH, "Sweeper runs that removed something, by job"),
            Map.entry(SWEPT, "Rows removed by the sweepers, by job"),
            Map.entry(GROUP_COMMIT_BATCH, "Requests written per group-commit transaction"),
            Map.entry(ACL_DENIALS, "Requests refused by the ACLs, by API"));

    private final MeterRegistry registry;
    private final Map<String, Object> meters = new ConcurrentHashMap<>();
    private final Map<Meter.Id, RunningStats> stats = new ConcurrentHashMap<>();

    public SessiondMetrics(Instance<MeterRegistry> registries) {
        this.registry = registries.isResolvable() ? registries.get() : new SimpleMeterRegistry();
    }

    /** The registry the meters are in, for the views that render them. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A session create, renew or destroy ({@code operation}) answered after {@code nanos}. */
    public void sessionWrite(String operation, long nanos) {
        time(SESSION_WRITES, nanos, "op", operation);
    }

    /** {@code count} sessions ended for {@code cause}. */
    public void sessionsInvalidated(Cause cause, int count) {
        if (cause != null && count > 0) {
            count(SESSIONS_INVALIDATED, count, "cause", cause.tag());
        }
    }

    /** After a destroy: counts the session as ended for {@code cause} if this destroy ended it. */
    public Function<Boolean, Boolean> countEnded(Cause cause) {
        return ended -> {
            sessionsInvalidated(cause, ended ? 1 : 0);
            return ended;
        };
    }

    public void lock(LockOutcome outcome) {
        count(KV_LOCKS, 1, "outcome", outcome.tag);
    }

    /** A KV write ({@code operation}: set, cas, acquire, release, delete, delete-tree, delete-cas) took {@code nanos}. */
    public void kvWrite(String operation, long nanos) {
        time(KV_WRITES, nanos, "op", operation);
    }

    /** The number of blocking queries waiting for a change, read when the meters are rendered. */
    public void parkedQueries(Supplier<Number> parked) {
        Gauge.builder(BLOCKING_PARKED, parked).description("Blocking queries waiting for a change").register(registry);
    }

    /** A parked blocking query woke on a change and had its answer after {@code nanos}. */
    public void wokeUp(long nanos) {
        time(BLOCKING_WAKEUP, nanos);
    }

    /**
     * One run of the sweeper {@code job} removed {@code removed} rows in {@code nanos}. Only runs that removed
     * something are timed: most runs find nothing, and their time would hide the time a backlog takes.
     */
    public void swept(String job, int removed, long nanos) {
        if (removed > 0) {
            time(SWEEP_BATCH, nanos, "job", job);
            count(SWEPT, removed, "job", job);
        }
    }

    /** A group commit of {@code kind} (create, renew, destroy) wrote {@code size} requests in one transaction. */
    public void groupCommitBatch(String kind, int size) {
        record(GROUP_COMMIT_BATCH, size, "kind", kind);
    }

    /** A request of the {@code api} dialect (consul, admin, web) was refused by the ACLs. */
    public void aclDenied(String api) {
        count(ACL_DENIALS, 1, "api", api);
    }

    private void count(String name, double amount, String... tags) {
        Recorded<Counter> counter = recorded(name, tags,
                () -> Counter.builder(name).description(DESCRIPTIONS.get(name)).tags(Tags.of(tags)).register(registry));
        counter.meter().increment(amount);
        counter.stats().add(amount);
    }

    private void time(String name, long nanos, String... tags) {
        Recorded<Timer> timer = recorded(name, tags,
                () -> Timer.builder(name).description(DESCRIPTIONS.get(name)).tags(Tags.of(tags)).register(registry));
        timer.meter().record(nanos, TimeUnit.NANOSECONDS);
        timer.stats().add(nanos / 1e6);
    }

    private void record(String name, double amount, String... tags) {
        Recorded<DistributionSummary> summary = recorded(name, tags,
                () -> DistributionSummary.builder(name).description(DESCRIPTIONS.get(name)).tags(Tags.of(tags)).register(registry));
        summary.meter().record(amount);
        summary.stats().add(amount);
    }

    /** The meter {@code name} with {@code tags} and its statistics, created on first use. */
    @SuppressWarnings("unchecked")
    private <M extends Meter> Recorded<M> recorded(String name, String[] tags, Supplier<M> create) {
        return (Recorded<M>) meters.computeIfAbsent(key(name, tags), key -> {
            Recorded<M> created = new Recorded<>(create.get(), new RunningStats());
            stats.put(created.meter().getId(), created.stats());
            return created;
        });
    }

    /**
     * Count, sum, min, max and spread of what the counter, timer (in milliseconds) or summary {@code id}
     * recorded since the start, for Consul's counters and samples (Micrometer keeps no minimum, nor the
     * number of increments of a counter); null for a meter not recorded here.
     */
    public RunningStats.Snapshot stats(Meter.Id id) {
        RunningStats found = stats.get(id);
        return found == null ? null : found.snapshot();
    }

    private record Recorded<M extends Meter>(M meter, RunningStats stats) {
    }

    private static String key(String name, String... tags) {
        return tags.length == 0 ? name : name + "|" + String.join("|", tags);
    }
}
