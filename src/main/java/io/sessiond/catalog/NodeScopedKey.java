package io.sessiond.catalog;

import java.io.Serializable;
import java.util.Objects;

/**
 * The composite primary key of a row that belongs to a node: the node and an id unique on it. A subclass,
 * an entity's {@code @IdClass}, declares that id as a field named as the entity's, which Hibernate requires.
 */
public abstract class NodeScopedKey implements Serializable {

    public String node;

    /** The id unique on the node. */
    protected abstract String idOnNode();

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && Objects.equals(node, ((NodeScopedKey) other).node)
                && Objects.equals(idOnNode(), ((NodeScopedKey) other).idOnNode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, idOnNode());
    }
}
