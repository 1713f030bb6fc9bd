package io.sessiond.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What an operator sees of a live session: the session, the clients attached to it, how many KV locks it
 * holds, and what follows from them at {@code now} (the database's clock): state, age, idleness and a log of
 * what happened to it.
 */
public record SessionDetails(Session session, List<SessionConnection> connections, long locks, Instant now) {

    /** MaxScale's state names, which admin tools already show. */
    public static final String STARTED = "Session started";
    public static final String STOPPING = "Stopping session";

    /** How many log entries are kept: the most recent ones. */
    static final int LOG_SIZE = 20;

    public String state() {
        return session.isStopping() ? STOPPING : STARTED;
    }

    public Duration alive() {
        return Duration.between(session.createdAt, now);
    }

    /** Since the last create, renewal or request of any attached client. */
    public Duration idle() {
        return Duration.between(lastActivity(), now);
    }

    public Instant lastActivity() {
        return connections.stream().map(c -> c.lastActivityAt)
                .reduce(session.lastRenewedAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    public static Duration idle(SessionConnection connection, Instant now) {
        return Duration.between(connection.lastActivityAt, now);
    }

    /**
     * Recent lifecycle events, oldest first, as {@code "<ISO time> <text>"}: derived from what is stored
     * (creation, attachments, last renewal, a pending stop), so that keeping it costs no write.
     */
    public List<String> log() {
        List<Map.Entry<Instant, String>> events = new ArrayList<>();
        String origin = session.remoteAddress == null ? "" : " by " + session.remoteAddress + ":" + session.remotePort;
        events.add(Map.entry(session.createdAt, "Session created" + origin + " on node " + session.node
                + " for service " + session.service));
        for (SessionConnection connection : connections) {
            if (connection.isFolded()) {
                events.add(Map.entry(connection.connectedAt, connection.foldedClients + " earlier clients attached "
                        + "(folded into one connection)"));
                continue;
            }
            String client = connection.isNamed() ? "Client " + connection.client : "Client";
            events.add(Map.entry(connection.connectedAt, client + " attached from "
                    + connection.remoteAddress + ":" + connection.remotePort));
        }
        if (session.lastRenewedAt.isAfter(session.createdAt)) {
            events.add(Map.entry(session.lastRenewedAt, "Lease renewed"));
        }
        if (session.stopRequestedAt != null) {
            events.add(Map.entry(session.stopRequestedAt, "Stop requested: the session ends at "
                    + session.stopAt.truncatedTo(ChronoUnit.MILLIS)));
        }
        events.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        return events.subList(Math.max(0, events.size() - LOG_SIZE), events.size()).stream()
                .map(event -> event.getKey().truncatedTo(ChronoUnit.MILLIS) + " " + event.getValue())
                .toList();
    }
}
