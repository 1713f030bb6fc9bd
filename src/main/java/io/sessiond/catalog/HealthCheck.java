package io.sessiond.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A health check registered on a node; sessions bound to it die when it turns critical. */
@Entity
@Table(name = "checks")
@IdClass(HealthCheck.Key.class)
public class HealthCheck extends PanacheEntityBase {

    @Id
    public String node;

    @Id
    public String checkId;

    public String name;

    /** {@code passing}, {@code warning} or {@code critical}; see {@link CheckStatus}. */
    public String status;

    public String notes = "";

    public String output = "";

    public String serviceId = "";

    public String serviceName = "";

    /** For TTL checks: how long an update keeps the check from turning critical. */
    public Long ttlNs;

    /** For TTL checks: when the check turns critical unless updated before. */
    public Instant ttlExpiresAt;

    public long createIndex;

    public long modifyIndex;

    /** Composite primary key (node, check_id). */
    public static class Key implements Serializable {
        public String node;
        public String checkId;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(node, key.node) && Objects.equals(checkId, key.checkId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(node, checkId);
        }
    }
}
