package io.sessiond.acl;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** A token: its public AccessorID, the hash of its SecretID, and the policies it is linked to. */
@Entity
@Table(name = "acl_tokens")
public class AclToken extends PanacheEntityBase {

    /** Consul's anonymous token: requests without a token act as it. */
    public static final UUID ANONYMOUS = UUID.fromString("00000000-0000-0000-0000-000000000002");
    /** The anonymous token's SecretID in Consul. */
    public static final String ANONYMOUS_SECRET = "anonymous";

    /** HQL condition of a token that has not expired, by the database's clock. */
    static final String LIVE = "(expirationTime is null or expirationTime > instant)";

    @Id
    public UUID accessorId;

    /** SHA-256 of the SecretID. */
    public byte[] secretHash;

    public String description;

    public Instant createTime;

    /** When the token stops existing for every request (Consul's ExpirationTime); null: never. */
    public Instant expirationTime;

    public long createIndex;

    public long modifyIndex;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "acl_token_policies", joinColumns = @JoinColumn(name = "accessor_id"))
    @Column(name = "policy_id")
    public Set<UUID> policyIds = new LinkedHashSet<>();
}
