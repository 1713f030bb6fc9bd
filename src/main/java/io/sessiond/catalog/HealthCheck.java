package io.sessiond.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A health check registered on a node; sessions bound to it die when it turns critical. */
@Entity
@Table(name = "checks")
public class HealthCheck extends NodeScopedEntity {

    /** Unique on its node only, as in Consul: each node has its own {@code serfHealth}. */
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

    @Override
    protected String idOnNode() {
        return checkId;
    }
}
