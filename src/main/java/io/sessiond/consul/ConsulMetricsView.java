package io.sessiond.consul;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.sessiond.metrics.RunningStats;
import io.sessiond.metrics.SessiondMetrics;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * sessiond's meters as Consul's {@code GET /v1/agent/metrics} shows an agent's (go-metrics' summary: gauges,
 * counters and samples with their statistics), in JSON or, with {@code ?format=prometheus}, in Prometheus's
 * text format. Where a Consul metric measures the same thing it is shown under Consul's name (see
 * {@link #CONSUL_SAMPLES}), so that Consul dashboards and scrape configurations keep working; every other
 * sessiond meter is shown under its own name.
 *
 * <p>Consul reports the last ten-second interval; sessiond's counters and samples cover the time since the
 * instance started (a Prometheus scraper takes rates itself), and {@code Rate} is per second over that time.
 */
@ApplicationScoped
public class ConsulMetricsView {

    /** A Consul summary metric and the sessiond timer (with one tag's values, or any) that measures it. */
    private record ConsulSample(String consulName, String meter, String tag, List<String> tagValues) {

        boolean covers(Meter.Id id) {
            return id.getName().equals(meter) && (tag == null || tagValues.contains(id.getTag(tag)));
        }
    }

    static final String SESSION_TTL_ACTIVE = "consul.session_ttl.active";

    private static final List<ConsulSample> CONSUL_SAMPLES = List.of(
            new ConsulSample("consul.kvs.apply", SessiondMetrics.KV_WRITES, null, List.of()),
            new ConsulSample("consul.session.apply", SessiondMetrics.SESSION_WRITES, "op", List.of("create", "destroy")),
            new ConsulSample("consul.session_ttl.invalidate", SessiondMetrics.SWEEP_BATCH, "job", List.of("session-sweeper")));

    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** go-metrics' in-memory sink aggregates over ten seconds; the timestamp is that interval's start. */
    private static final long INTERVAL_SECONDS = 10;

    private final SessiondMetrics metrics;
    /** When the process started: the counters and samples cover the time since. */
    private final Instant started = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);

    public ConsulMetricsView(SessiondMetrics metrics) {
        this.metrics = metrics;
    }

    /** One gauge, counter or sample as Consul's summary lists it. */
    record Entry(String name, Map<String, String> labels, double value, RunningStats.Snapshot stats) {
    }

    /** What the endpoint shows, by kind, in Consul's order. */
    record Summary(List<Entry> gauges, List<Entry> counters, List<Entry> samples) {
    }

    Summary summary() {
        List<Entry> gauges = new ArrayList<>();
        List<Entry> counters = new ArrayList<>();
        List<Entry> samples = new ArrayList<>();
        Map<String, RunningStats.Snapshot> consulSamples = new TreeMap<>();
        for (Meter meter : metrics.registry().getMeters()) {
            Meter.Id id = meter.getId();
            if (!id.getName().startsWith("sessiond.")) {
                continue;
            }
            if (meter instanceof Gauge gauge) {
                gauges.add(new Entry(id.getName(), labels(id), gauge.value(), null));
                if (id.getName().equals(SessiondMetrics.SESSIONS_WITH_TTL)) {
                    gauges.add(new Entry(SESSION_TTL_ACTIVE, Map.of(), gauge.value(), null));
                }
                continue;
            }
            RunningStats.Snapshot stats = metrics.stats(id);
            if (stats == null) {
                continue;
            }
            if (meter instanceof Counter) {
                counters.add(new Entry(id.getName(), labels(id), stats.sum(), stats));
            } else if (meter instanceof Timer || meter instanceof DistributionSummary) {
                samples.add(new Entry(id.getName(), labels(id), stats.sum(), stats));
                for (ConsulSample consul : CONSUL_SAMPLES) {
                    if (consul.covers(id)) {
                        consulSamples.merge(consul.consulName(), stats, ConsulMetricsView::combined);
                    }
                }
            }
        }
        consulSamples.forEach((name, stats) -> samples.add(new Entry(name, Map.of(), stats.sum(), stats)));
        return new Summary(gauges, counters, samples);
    }

    /** Consul's JSON: {@code Timestamp}, {@code Gauges}, {@code Points}, {@code Counters}, {@code Samples}. */
    Map<String, Object> json() {
        Summary summary = summary();
        double seconds = Math.max(1, Duration.between(started, Instant.now()).toMillis() / 1e3);
        Map<String, Object> body = new LinkedHashMap<>();
        long now = Instant.now().getEpochSecond();
        body.put("Timestamp", GO_TIME.format(Instant.ofEpochSecond(now - now % INTERVAL_SECONDS)));
        body.put("Gauges", summary.gauges().stream().map(gauge -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Name", gauge.name());
            entry.put("Value", gauge.value());
            entry.put("Labels", gauge.labels());
            return entry;
        }).toList());
        body.put("Points", List.of());
        body.put("Counters", summary.counters().stream().map(counter -> aggregate(counter, seconds)).toList());
        body.put("Samples", summary.samples().stream().map(sample -> aggregate(sample, seconds)).toList());
        return body;
    }

    /** Prometheus's text format (version 0.0.4) with Consul's names, as Consul's {@code ?format=prometheus}. */
    String prometheus() {
        Summary summary = summary();
        StringBuilder text = new StringBuilder();
        Map<String, List<Entry>> gauges = byName(summary.gauges());
        gauges.forEach((name, entries) -> {
            text.append("# TYPE ").append(name).append(" gauge\n");
            entries.forEach(entry -> line(text, name, entry.labels(), entry.value()));
        });
        byName(summary.counters()).forEach((name, entries) -> {
            text.append("# TYPE ").append(name).append(" counter\n");
            entries.forEach(entry -> line(text, name, entry.labels(), entry.stats().sum()));
        });
        byName(summary.samples()).forEach((name, entries) -> {
            text.append("# TYPE ").append(name).append(" summary\n");
            entries.forEach(entry -> {
                line(text, name + "_sum", entry.labels(), entry.stats().sum());
                line(text, name + "_count", entry.labels(), entry.stats().count());
            });
        });
        return text.toString();
    }

    private static Map<String, Object> aggregate(Entry entry, double seconds) {
        RunningStats.Snapshot stats = entry.stats();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Name", entry.name());
        json.put("Count", stats.count());
        json.put("Rate", stats.sum() / seconds);
        json.put("Sum", stats.sum());
        json.put("Min", stats.min());
        json.put("Max", stats.max());
        json.put("Mean", stats.mean());
        json.put("Stddev", stats.stddev());
        json.put("Labels", entry.labels());
        return json;
    }

    /** Entries grouped under their Prometheus names (dots and dashes become underscores), sorted. */
    private static Map<String, List<Entry>> byName(List<Entry> entries) {
        Map<String, List<Entry>> grouped = new TreeMap<>();
        entries.forEach(entry -> grouped.computeIfAbsent(entry.name().replaceAll("[^a-zA-Z0-9_:]", "_"),
                name -> new ArrayList<>()).add(entry));
        return grouped;
    }

    private static void line(StringBuilder text, String name, Map<String, String> labels, double value) {
        text.append(name);
        if (!labels.isEmpty()) {
            StringBuilder pairs = new StringBuilder();
            labels.forEach((key, labelValue) -> pairs.append(pairs.isEmpty() ? "" : ",").append(key).append("=\"")
                    .append(labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
            text.append('{').append(pairs).append('}');
        }
        text.append(' ').append(value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
                : String.valueOf(value)).append('\n');
    }

    private static Map<String, String> labels(Meter.Id id) {
        Map<String, String> labels = new TreeMap<>();
        for (Tag tag : id.getTagsAsIterable()) {
            labels.put(tag.getKey(), tag.getValue());
        }
        return labels;
    }

    private static RunningStats.Snapshot combined(RunningStats.Snapshot a, RunningStats.Snapshot b) {
        if (a.count() == 0) {
            return b;
        }
        if (b.count() == 0) {
            return a;
        }
        return new RunningStats.Snapshot(a.count() + b.count(), a.sum() + b.sum(), Math.min(a.min(), b.min()),
                Math.max(a.max(), b.max()), a.sumOfSquares() + b.sumOfSquares());
    }
}
