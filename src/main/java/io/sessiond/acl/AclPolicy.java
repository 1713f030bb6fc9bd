package io.sessiond.acl;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** A named set of rules that tokens link to. */
@Entity
@Table(name = "acl_policies")
public class AclPolicy extends PanacheEntityBase {

    /** Consul's built-in policy that grants everything; its rules cannot be changed nor itself deleted. */
    public static final UUID GLOBAL_MANAGEMENT = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @Id
    public UUID id;

    public String name;

    public String description;

    /** Consul's JSON rule syntax, as written. */
    public String rules;

    public long createIndex;

    public long modifyIndex;
}
