package io.sessiond.session;

import io.sessiond.RejectedException;
import io.sessiond.catalog.LocalNodeRegistration;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import io.sessiond.metrics.SessiondMetrics;
import io.sessiond.session.SessionRules.NewSession;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Session create, renew and destroy, each group-committed ({@link GroupCommit}): concurrent requests of one
 * kind are written by one transaction, and each is answered once that committed.
 */
@ApplicationScoped
public class SessionWrites {

    private final SessionRules rules;
    private final LocalNodeRegistration localNode;
    private final ChangeIndex changeIndex;
    private final SessionStore store;
    private final SessionInvalidation invalidation;
    private final GroupCommit<NewSession, Session> creates;
    private final GroupCommit<UUID, Optional<Session>> renews;
    private final GroupCommit<UUID, Boolean> destroys;
    private final SessiondMetrics metrics;

    public SessionWrites(SessionRules rules, LocalNodeRegistration localNode, ChangeIndex changeIndex,
                         SessionStore store, SessionInvalidation invalidation, DataSource dataSource, SessiondMetrics metrics) {
        this.metrics = metrics;
        this.rules = rules;
        this.localNode = localNode;
        this.changeIndex = changeIndex;
        this.store = store;
        this.invalidation = invalidation;
        this.creates = new GroupCommit<>("create", metrics, GroupCommit.Transactions.jdbc(dataSource), this::writeCreates);
        this.renews = new GroupCommit<>("renew", metrics, GroupCommit.Transactions.singleStatement(dataSource), this::writeRenews);
        this.destroys = new GroupCommit<>("destroy", metrics, GroupCommit.Transactions.jdbc(dataSource), this::writeDestroys);
    }

    @PreDestroy
    void stopCommitters() {
        creates.close();
        renews.close();
        destroys.close();
    }

    /**
     * Validates {@code spec} ({@link SessionRules}), then stores the new session; the stage completes once
     * it is committed. What needs no database is checked at once, the node and the checks in the batch's
     * transaction (see {@link #writeCreates}).
     */
    public CompletionStage<Session> create(SessionSpec spec) {
        NewSession create = rules.validCreate(spec);
        // This server's node is registered beside the start-up: a session created before that waits for it.
        return localNode.registration().thenCompose(registered -> creates.submit(create));
    }

    /**
     * Resets the session's expiry to TTL x 2 from now (database time), never past a deferred kill's stop
     * time; the stage completes once that is committed. A session past its deadline that the expiry has not
     * ended yet is renewed, as in Consul (see {@link SessionExpiry}).
     */
    public CompletionStage<Session> renew(String id) {
        return renews.submit(SessionRules.parseId(id).orElseThrow(() -> SessionRules.notFound(id)))
                .thenApply(renewed -> renewed.orElseThrow(() -> SessionRules.notFound(id)));
    }

    /**
     * Invalidates the session; completes, once that is committed, with whether this call ended it.
     * Destroying an unknown or already ended session is not an error for Consul; the admin API reports it
     * as not found.
     */
    public CompletionStage<Boolean> destroy(String id) {
        return destroy(id, SessiondMetrics.Cause.DESTROY);
    }

    /**
     * {@link #destroy(String)} for {@code cause}: a client's destroy or an operator's kill. Destroys are
     * counted by who asked, as each learns that it ended its session (the batch ends them together).
     */
    public CompletionStage<Boolean> destroy(String id, SessiondMetrics.Cause cause) {
        return SessionRules.parseId(id).map(destroys::submit).orElse(CompletableFuture.completedFuture(false))
                .thenApply(metrics.countEnded(cause));
    }

    /**
     * One transaction for a batch of creates: one index for all of them and, in the same round trip, one
     * statement that share-locks the nodes and checks the batch binds (and finds each node's service), then
     * one insert of the requests that passed, which carries the commit. A request whose node or checks are refused gets its own
     * rejection; if all are refused, nothing is written.
     */
    private boolean writeCreates(List<GroupCommit.Pending<NewSession, Session>> batch, Connection connection)
            throws SQLException {
        Set<String> nodes = new HashSet<>();
        Set<String> checks = new HashSet<>();
        for (GroupCommit.Pending<NewSession, Session> pending : batch) {
            nodes.add(pending.request().session().node.toLowerCase(Locale.ROOT));
            checks.addAll(pending.request().boundChecks());
        }
        ChangeIndex.Stamped<Map<String, SessionStore.CreateTarget>> locked =
                changeIndex.advanceThen(connection, Table.SESSIONS, store.lockCreateTargets(connection, nodes, checks));
        WriteStamp stamp = locked.stamp();
        Map<String, SessionStore.CreateTarget> targets = locked.next();
        List<GroupCommit.Pending<NewSession, Session>> accepted = new ArrayList<>();
        for (GroupCommit.Pending<NewSession, Session> pending : batch) {
            NewSession request = pending.request();
            try {
                SessionRules.requireBindable(request, targets.get(request.session().node.toLowerCase(Locale.ROOT)));
                accepted.add(pending);
            } catch (RejectedException e) {
                pending.reject(e);
            }
        }
        if (accepted.isEmpty()) {
            return false;
        }
        Map<UUID, Session> stored = store.insert(connection, accepted.stream().map(pending -> pending.request().session()).toList(), stamp)
                .stream().collect(Collectors.toMap(session -> session.id, Function.identity()));
        accepted.forEach(pending -> pending.answer(stored.get(pending.request().session().id)));
        return true;
    }

    /**
     * One statement renews the whole batch, its own transaction (a renewal moves no index); a request whose
     * session is not alive gets nothing back.
     */
    private boolean writeRenews(List<GroupCommit.Pending<UUID, Optional<Session>>> batch, Connection connection)
            throws SQLException {
        Map<UUID, Session> renewed = store.renew(connection, batch.stream().map(GroupCommit.Pending::request).collect(Collectors.toSet()))
                .stream().collect(Collectors.toMap(session -> session.id, Function.identity()));
        batch.forEach(pending -> pending.answer(Optional.ofNullable(renewed.get(pending.request()))));
        return !renewed.isEmpty();
    }

    /**
     * One invalidation for a batch of destroys, in one round trip (then the commit); each request learns
     * whether its session was ended by it. Destroying only unknown sessions ends nothing, so the
     * transaction rolls back and moves no index.
     */
    private boolean writeDestroys(List<GroupCommit.Pending<UUID, Boolean>> batch, Connection connection)
            throws SQLException {
        UUID[] ids = batch.stream().map(GroupCommit.Pending::request).distinct().toArray(UUID[]::new);
        // A session destroyed twice in one batch is ended by the first of those requests only.
        Set<UUID> ended = new HashSet<>(invalidation.invalidate(connection, ids, SessionInvalidation.EndReason.DESTROYED));
        boolean endedAny = !ended.isEmpty();
        batch.forEach(pending -> pending.answer(ended.remove(pending.request())));
        return endedAny;
    }
}
