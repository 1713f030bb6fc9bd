package io.sessiond.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

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
    public static class Key implements Serializable {
        public String node;
        public String serviceId;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(node, key.node) && Objects.equals(serviceId, key.serviceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(node, serviceId);
        }
    }
}
