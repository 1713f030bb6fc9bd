package io.sessiond.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A service instance registered on a node; its checks may carry sessions. */
@Entity
@Table(name = "services")
@IdClass(NodeService.Key.class)
public class NodeService extends PanacheEntityBase {

    @Id
    public String node;

    @Id
    public String serviceId;

    public String serviceName;

    public String[] tags = new String[0];

    public String address = "";

    public int port;

    public long createIndex;

    public long modifyIndex;

    /** Composite primary key (node, service_id). */
    public static class Key extends NodeScopedKey {
        public String serviceId;

        @Override
        protected String idOnNode() {
            return serviceId;
        }
    }
}
