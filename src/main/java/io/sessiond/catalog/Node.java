package io.sessiond.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A node of the catalog: a machine (or a sessiond instance) that sessions are bound to. */
@Entity
@Table(name = "nodes")
public class Node extends PanacheEntityBase {

    private static final String FIND_FOR_SHARE = "SELECT * FROM nodes WHERE lower(name) = lower(?1) LIMIT 1 FOR SHARE";

    @Id
    public String name;

    public UUID id;

    public String address;

    public String datacenter;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> taggedAddresses = Map.of();

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> meta = Map.of();

    /** Last heartbeat of a sessiond instance's node; null for nodes registered through the catalog API. */
    public Instant heartbeatAt;

    public long createIndex;

    public long modifyIndex;

    /**
     * The node named {@code name} (case-insensitive, as Consul looks nodes up), share-locked so that it
     * cannot be deregistered before the calling transaction commits. Plain SQL: this runs at every
     * start-up (the instance registers its node), where translating a first HQL query is a noticeable
     * part of a native executable's start-up time.
     */
    public static Optional<Node> findForShare(String name) {
        @SuppressWarnings("unchecked")
        List<Node> found = getEntityManager()
                .createNativeQuery(FIND_FOR_SHARE, Node.class)
                .setParameter(1, name)
                .getResultList();
        return found.stream().findFirst();
    }
}
