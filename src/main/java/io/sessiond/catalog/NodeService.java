package io.sessiond.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A service instance registered on a node; its checks may carry sessions. */
@Entity
@Table(name = "services")
public class NodeService extends NodeScopedEntity {

    /** Unique on its node; {@link #serviceName} may be shared by instances on many nodes. */
    @Id
    public String serviceId;

    public String serviceName;

    public String[] tags = new String[0];

    public String address = "";

    public int port;

    @Override
    protected String idOnNode() {
        return serviceId;
    }
}
