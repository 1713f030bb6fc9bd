package io.sessiond.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.io.Serializable;
import java.util.Objects;

/**
 * A catalog row that belongs to a node (a service instance, a check). Its primary key is its node and an id unique
 * on that node, which the entity declares as its second {@code @Id}: a composite key without a key class (the
 * entity is its own identifier, as Hibernate allows, and so equal to another by that key), since nothing looks
 * such a row up by a key object. Like every catalog row it records the change indexes that created and last
 * changed it.
 */
@MappedSuperclass
public abstract class NodeScopedEntity extends PanacheEntityBase implements Serializable {

    @Id
    public String node;

    public long createIndex;

    public long modifyIndex;

    /** The id unique on the node: the entity's second {@code @Id}. */
    protected abstract String idOnNode();

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && Objects.equals(node, ((NodeScopedEntity) other).node)
                && Objects.equals(idOnNode(), ((NodeScopedEntity) other).idOnNode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, idOnNode());
    }
}
