package io.sessiond.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A client attached to a session: one row per distinct client that used it, with what it did; or, past the
 * {@link SessionActivity#CLIENTS_KEPT} most recent clients, the one row the others are folded into. Written
 * only by {@link SessionActivity}'s batched flush; removed with its session.
 */
@Entity
@Table(name = "session_connections")
public class SessionConnection extends PanacheEntityBase {

    @Id
    public Long id;

    public UUID session;

    /** The client's name (see {@link SessionClient#name()}). */
    public String client;

    /** The address and port it last came from. */
    public String remoteAddress;

    public int remotePort;

    public Instant connectedAt;

    public Instant lastActivityAt;

    /** Reads (GETs) and writes (PUT/DELETE) it made through the session. */
    public long reads;

    public long writes;

    /**
     * How many clients' rows this one holds the counts of, when it is the session's folded row (0 for a
     * client's own row); a client folded, back and folded again counts twice. The address is the latest
     * folded client's.
     */
    public long foldedClients;

    /** Whether the client named itself rather than being known by its address. */
    public boolean isNamed() {
        return !isFolded() && new SessionClient(client, remoteAddress, remotePort).isNamed();
    }

    /** Whether this is the row of the clients folded out of the bound rather than one client's. */
    public boolean isFolded() {
        return client.equals(SessionActivity.FOLDED_CLIENT);
    }
}
