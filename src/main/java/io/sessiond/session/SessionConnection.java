package io.sessiond.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A client attached to a session: one row per distinct client that used it, with what it did. Written only
 * by {@link SessionActivity}'s batched flush; removed with its session.
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

    /** Whether the client named itself rather than being known by its address. */
    public boolean isNamed() {
        return new SessionClient(client, remoteAddress, remotePort).isNamed();
    }
}
