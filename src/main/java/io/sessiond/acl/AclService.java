package io.sessiond.acl;

import io.sessiond.RejectedException;
import io.sessiond.config.SessiondConfig;
import io.sessiond.go.GoDuration;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Policies, tokens and the bootstrap, with Consul's rules and texts. Writes follow the write protocol:
 * the ACL change index first, then the rows. A token's SecretID is returned once, when it is created;
 * only its SHA-256 is stored.
 */
@ApplicationScoped
public class AclService {

    /** A token's link to a policy, by ID or by name, as clients send it. */
    public record PolicyRef(String id, String name) {
    }

    public record PolicySpec(String name, String description, String rules) {
    }

    /**
     * AccessorID and SecretID may be chosen by the client at creation (UUIDs), or are generated. A token
     * expires {@code expirationTtl} after its creation or at {@code expirationTime} (Consul allows one of
     * them); both null: never.
     */
    public record TokenSpec(String accessorId, String secretId, String description, List<PolicyRef> policies,
                            Duration expirationTtl, Instant expirationTime) {

        public TokenSpec(String accessorId, String secretId, String description, List<PolicyRef> policies) {
            this(accessorId, secretId, description, policies, null, null);
        }
    }

    /** A token with its policies; {@code secretId} is set only in the answer to its creation. */
    public record TokenInfo(AclToken token, List<AclPolicy> policies, String secretId) {
    }

    private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9\\-_]{1,128}");
    /** What Consul's {@code uuid.ParseUUID} accepts: 36 characters, hex digits in 8-4-4-4-12 groups. */
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Consul keeps the UUIDs starting with this for its built-in objects. */
    private static final String RESERVED_PREFIX = "00000000-0000-0000-0000-0000000000";

    /** Inserts the bootstrap row with index ?1; its primary key lets only one ever be inserted. */
    private static final String CLAIM_BOOTSTRAP = "INSERT INTO acl_bootstrap (bootstrap_index) VALUES (?1) ON CONFLICT DO NOTHING";
    private static final String BOOTSTRAP_INDEX = "SELECT bootstrap_index FROM acl_bootstrap";
    /** Whether any token has expired: a look without locks. */
    private static final String ANY_EXPIRED_TOKEN = "SELECT 1 FROM acl_tokens WHERE expiration_time <= clock_timestamp() LIMIT 1";
    /** Deletes up to ?1 expired tokens, passing over rows another transaction holds. */
    private static final String DELETE_EXPIRED_TOKENS = """
            DELETE FROM acl_tokens WHERE accessor_id IN (SELECT accessor_id
            FROM acl_tokens WHERE expiration_time <= clock_timestamp() ORDER BY expiration_time
            LIMIT ?1 FOR UPDATE SKIP LOCKED) RETURNING accessor_id""";

    private final SessiondConfig config;
    private final ChangeIndex changeIndex;
    private final EntityManager em;

    public AclService(SessiondConfig config, ChangeIndex changeIndex, EntityManager em) {
        this.config = config;
        this.changeIndex = changeIndex;
        this.em = em;
    }

    /**
     * The one-time creation of the first management token. "Only once" is the primary key of
     * {@code acl_bootstrap}: it holds for every instance on the database.
     */
    @Transactional
    public TokenInfo bootstrap() {
        requireEnabled();
        WriteStamp stamp = changeIndex.advance(Table.ACL);
        if (!claimBootstrap(stamp)) {
            Number at = (Number) em.createNativeQuery(BOOTSTRAP_INDEX).getSingleResult();
            throw new AccessDeniedException(
                    "Permission denied: ACL bootstrap no longer allowed (reset index: " + at.longValue() + ")");
        }
        return issue(new TokenSpec(null, null, "Bootstrap Token (Global Management)",
                List.of(new PolicyRef(AclPolicy.GLOBAL_MANAGEMENT.toString(), null))), stamp);
    }

    /**
     * Makes sure a management token with this secret exists (the configured initial management token);
     * creating it takes the place of the bootstrap, as in Consul. Safe when instances start together.
     */
    @Transactional
    public void ensureManagementToken(String secret) {
        if (findBySecret(secret).isPresent()) {
            return;
        }
        WriteStamp stamp = changeIndex.advance(Table.ACL);
        // Every ACL writer holds the ACL index row now, so this second look cannot race another instance.
        if (findBySecret(secret).isPresent()) {
            // Changed nothing: roll back, so that no index moves.
            changeIndex.nothingChanged();
            return;
        }
        // An expired token still holding this secret until the sweeper comes is gone for every request: its
        // row must not stand in the way of the configured token.
        AclToken.delete("secretHash = ?1 and not " + AclToken.LIVE, (Object) sha256(secret));
        claimBootstrap(stamp);
        issue(new TokenSpec(null, secret, "Initial Management Token",
                List.of(new PolicyRef(AclPolicy.GLOBAL_MANAGEMENT.toString(), null))), stamp);
    }

    /** The unexpired token whose SecretID this is. */
    public Optional<AclToken> findBySecret(String secret) {
        // Looked up by the SHA-256 of the secret, never by the secret: an index lookup's timing can only
        // tell about the hash, which does not help to guess a secret.
        return AclToken.find("secretHash = ?1 and " + AclToken.LIVE, (Object) sha256(secret)).firstResultOptional();
    }

    /** The unexpired token with this AccessorID. */
    private Optional<AclToken> findLive(UUID accessorId) {
        return AclToken.find("accessorId = ?1 and " + AclToken.LIVE, accessorId).firstResultOptional();
    }

    public List<AclPolicy> policiesOf(AclToken token) {
        if (token.policyIds.isEmpty()) {
            return List.of();
        }
        return AclPolicy.list("id in ?1 order by name", token.policyIds);
    }

    // --- policies

    public List<AclPolicy> policies() {
        requireEnabled();
        return AclPolicy.list("order by name");
    }

    public AclPolicy policy(String id) {
        requireEnabled();
        // Lambdas, not method references: Panache enhances static calls made on the entity class only.
        return parseUuid(id).flatMap(uuid -> AclPolicy.<AclPolicy>findByIdOptional(uuid)).orElseThrow(AccessDeniedException::aclNotFound);
    }

    public AclPolicy policyByName(String name) {
        requireEnabled();
        return AclPolicy.<AclPolicy>find("name", name).firstResultOptional().orElseThrow(AccessDeniedException::aclNotFound);
    }

    @Transactional
    public AclPolicy createPolicy(PolicySpec spec) {
        requireEnabled();
        validate(spec, null);
        WriteStamp stamp = changeIndex.advance(Table.ACL);
        requireFreeName(spec.name(), null);
        AclPolicy policy = new AclPolicy();
        policy.id = UUID.randomUUID();
        policy.createIndex = stamp.index();
        apply(policy, spec, stamp);
        policy.persist();
        return policy;
    }

    @Transactional
    public AclPolicy updatePolicy(String id, PolicySpec spec) {
        requireEnabled();
        UUID uuid = parseUuid(id).orElseThrow(() -> RejectedException.notFound("Cannot find policy " + id));
        WriteStamp stamp = changeIndex.advance(Table.ACL);
        AclPolicy policy = AclPolicy.<AclPolicy>findByIdOptional(uuid)
                .orElseThrow(() -> RejectedException.notFound("Cannot find policy " + id));
        validate(spec, policy);
        requireFreeName(spec.name(), uuid);
        apply(policy, spec, stamp);
        return policy;
    }

    /** Deleting an unknown policy is not an error; tokens linked to it lose the link. */
    @Transactional
    public void deletePolicy(String id) {
        requireEnabled();
        Optional<UUID> uuid = parseUuid(id);
        if (uuid.isPresent() && uuid.get().equals(AclPolicy.GLOBAL_MANAGEMENT)) {
            throw RejectedException.invalid("Delete operation not permitted on the builtin global-management policy");
        }
        if (uuid.isEmpty() || AclPolicy.findById(uuid.get()) == null) {
            return;
        }
        changeIndex.advance(Table.ACL);
        AclPolicy.deleteById(uuid.get());
    }

    // --- tokens

    public List<TokenInfo> tokens() {
        requireEnabled();
        return AclToken.<AclToken>list(AclToken.LIVE + " order by createIndex, accessorId").stream().map(this::info).toList();
    }

    /** By AccessorID; unknown is Consul's {@code ACL not found}. */
    public TokenInfo token(String accessorId) {
        requireEnabled();
        return parseUuid(accessorId).flatMap(this::findLive).map(this::info)
                .orElseThrow(AccessDeniedException::aclNotFound);
    }

    public TokenInfo tokenBySecret(String secret) {
        requireEnabled();
        return findBySecret(secret.isEmpty() ? AclToken.ANONYMOUS_SECRET : secret).map(this::info)
                .orElseThrow(AccessDeniedException::aclNotFound);
    }

    /** A client's token: chosen ids must be UUIDs, as in Consul (the initial management token's secret need not). */
    @Transactional
    public TokenInfo createToken(TokenSpec spec) {
        requireEnabled();
        requireUsableId(spec.accessorId(), "AccessorID");
        requireUsableId(spec.secretId(), "SecretID");
        return issue(spec, changeIndex.advance(Table.ACL));
    }

    /** Replaces description and policies. The SecretID and the expiration time cannot change. */
    @Transactional
    public TokenInfo updateToken(String accessorId, TokenSpec spec) {
        requireEnabled();
        UUID uuid = parseUuid(accessorId).orElseThrow(() -> RejectedException.invalid("AccessorID is not a valid UUID"));
        WriteStamp stamp = changeIndex.advance(Table.ACL);
        AclToken token = findLive(uuid)
                .orElseThrow(() -> RejectedException.notFound("Cannot find token " + goQuote(accessorId)));
        if (spec.secretId() != null && !spec.secretId().isEmpty()
                && !MessageDigest.isEqual(sha256(spec.secretId()), token.secretHash)) {
            throw RejectedException.invalid("Changing a tokens SecretID is not permitted");
        }
        if (spec.expirationTtl() != null && !spec.expirationTtl().isZero()
                || spec.expirationTime() != null && !spec.expirationTime().equals(token.expirationTime)) {
            throw RejectedException.invalid("Cannot change expiration time of " + accessorId);
        }
        token.description = spec.description() == null ? "" : spec.description();
        token.policyIds.clear();
        token.policyIds.addAll(resolve(spec.policies()));
        token.modifyIndex = stamp.index();
        return info(token);
    }

    /** Deleting an unknown token is not an error; the anonymous token cannot be deleted. */
    @Transactional
    public void deleteToken(String accessorId) {
        requireEnabled();
        UUID uuid = parseUuid(accessorId)
                .orElseThrow(() -> RejectedException.invalid("Accessor ID is missing or an invalid UUID"));
        if (uuid.equals(AclToken.ANONYMOUS)) {
            throw RejectedException.invalid("Delete operation not permitted on the anonymous token");
        }
        if (AclToken.findById(uuid) == null) {
            return;
        }
        changeIndex.advance(Table.ACL);
        AclToken.deleteById(uuid);
    }

    /**
     * Deletes up to {@code batchSize} expired tokens in a transaction of its own and returns their
     * AccessorIDs. Sweepers on several instances take the ACL index one after the other (the write
     * protocol); {@code SKIP LOCKED} passes over a token an update holds, for a later sweep.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<UUID> sweepExpiredTokens(int batchSize) {
        // A look without locks first: most sweeps find nothing, and those must not move the index.
        if (em.createNativeQuery(ANY_EXPIRED_TOKEN).getResultList().isEmpty()) {
            return List.of();
        }
        changeIndex.advance(Table.ACL);
        @SuppressWarnings("unchecked")
        List<UUID> swept = em.createNativeQuery(DELETE_EXPIRED_TOKENS)
                .setParameter(1, batchSize)
                .getResultList();
        if (swept.isEmpty()) {
            // Every expired row was another sweeper's: the index taken must not be seen.
            changeIndex.nothingChanged();
        }
        return swept;
    }

    private TokenInfo issue(TokenSpec spec, WriteStamp stamp) {
        UUID accessorId = chosenUuid(spec.accessorId(), "AccessorID").orElseGet(UUID::randomUUID);
        if (AclToken.findById(accessorId) != null) {
            throw RejectedException.conflict("Invalid Token: AccessorID is already in use");
        }
        String secret = spec.secretId() == null || spec.secretId().isEmpty()
                ? UUID.randomUUID().toString() : spec.secretId();
        // Expired tokens count until swept: their rows still hold the secret's hash.
        if (AclToken.count("secretHash", (Object) sha256(secret)) > 0) {
            throw RejectedException.conflict("Invalid Token: SecretID is already in use");
        }
        AclToken token = new AclToken();
        token.accessorId = accessorId;
        token.secretHash = sha256(secret);
        token.description = spec.description() == null ? "" : spec.description();
        token.createTime = stamp.now();
        token.expirationTime = expirationTime(spec, token.createTime);
        token.createIndex = stamp.index();
        token.modifyIndex = stamp.index();
        token.policyIds.addAll(resolve(spec.policies()));
        token.persist();
        return new TokenInfo(token, policiesOf(token), secret);
    }

    /**
     * When a token created at {@code createTime} expires, with Consul's checks: a positive TTL or a time,
     * not both, and the time to expiry within the configured bounds.
     */
    private Instant expirationTime(TokenSpec spec, Instant createTime) {
        Duration ttl = spec.expirationTtl() == null ? Duration.ZERO : spec.expirationTtl();
        Instant expiration = spec.expirationTime();
        if (!ttl.isZero()) {
            if (ttl.isNegative()) {
                throw RejectedException.invalid("Token Expiration TTL '" + GoDuration.format(ttl.toNanos()) + "' should be > 0");
            }
            if (expiration != null) {
                throw RejectedException.invalid("Token Expiration TTL and Expiration Time cannot both be set");
            }
            expiration = createTime.plus(ttl);
        }
        if (expiration == null) {
            return null;
        }
        if (createTime.isAfter(expiration)) {
            throw RejectedException.invalid("ExpirationTime cannot be before CreateTime");
        }
        Duration expiresIn = Duration.between(createTime, expiration);
        Duration max = config.acl().tokenMaxExpirationTtl();
        Duration min = config.acl().tokenMinExpirationTtl();
        if (expiresIn.compareTo(max) > 0) {
            throw RejectedException.invalid("ExpirationTime cannot be more than " + GoDuration.format(max.toNanos())
                    + " in the future (was " + GoDuration.format(expiresIn.toNanos()) + ")");
        }
        if (expiresIn.compareTo(min) < 0) {
            throw RejectedException.invalid("ExpirationTime cannot be less than " + GoDuration.format(min.toNanos())
                    + " in the future (was " + GoDuration.format(expiresIn.toNanos()) + ")");
        }
        // PostgreSQL keeps microseconds: the answer shows what is stored, so that an update can send it back.
        return expiration.truncatedTo(ChronoUnit.MICROS);
    }

    private TokenInfo info(AclToken token) {
        return new TokenInfo(token, policiesOf(token), null);
    }

    private Set<UUID> resolve(List<PolicyRef> refs) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (PolicyRef ref : refs == null ? List.<PolicyRef>of() : refs) {
            boolean byId = ref.id() != null && !ref.id().isEmpty();
            Optional<AclPolicy> policy = byId
                    ? parseUuid(ref.id()).flatMap(uuid -> AclPolicy.<AclPolicy>findByIdOptional(uuid))
                    : AclPolicy.find("name", ref.name() == null ? "" : ref.name()).firstResultOptional();
            ids.add(policy.orElseThrow(() -> RejectedException.invalid(byId
                    ? "No such ACL policy with ID \"" + ref.id() + "\""
                    : "No such ACL policy with name \"" + ref.name() + "\"")).id);
        }
        return ids;
    }

    private static void validate(PolicySpec spec, AclPolicy existing) {
        if (spec.name() == null || spec.name().isEmpty()) {
            throw RejectedException.invalid("Invalid Policy: no Name is set");
        }
        if (!POLICY_NAME.matcher(spec.name()).matches()) {
            throw RejectedException.invalid(
                    "Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
        }
        if (existing != null && existing.id.equals(AclPolicy.GLOBAL_MANAGEMENT)
                && !existing.rules.equals(spec.rules() == null ? "" : spec.rules())) {
            throw RejectedException.invalid("Changing the Rules for the builtin global-management policy is not permitted");
        }
        Rules.parse(spec.rules());
    }

    private static void requireFreeName(String name, UUID self) {
        Optional<AclPolicy> holder = AclPolicy.find("name", name).firstResultOptional();
        if (holder.isPresent() && !holder.get().id.equals(self)) {
            throw RejectedException.conflict("Invalid Policy: A Policy with Name \"" + name + "\" already exists");
        }
    }

    private static void apply(AclPolicy policy, PolicySpec spec, WriteStamp stamp) {
        policy.name = spec.name();
        policy.description = spec.description() == null ? "" : spec.description();
        policy.rules = spec.rules() == null ? "" : spec.rules();
        policy.modifyIndex = stamp.index();
    }

    /** Inserts the bootstrap row; false if there already is one. */
    private boolean claimBootstrap(WriteStamp stamp) {
        return em.createNativeQuery(CLAIM_BOOTSTRAP)
                .setParameter(1, stamp.index())
                .executeUpdate() == 1;
    }

    private void requireEnabled() {
        if (!config.acl().enabled()) {
            throw new AclDisabledException();
        }
    }

    /** An id a client chose for a new token: a UUID outside the prefix Consul reserves. */
    private static void requireUsableId(String chosen, String field) {
        if (chosenUuid(chosen, field).isPresent() && chosen.startsWith(RESERVED_PREFIX)) {
            throw RejectedException.invalid("Invalid Token: UUIDs with the prefix \"" + RESERVED_PREFIX + "\" are reserved");
        }
    }

    private static Optional<UUID> chosenUuid(String value, String field) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseUuid(value)
                .orElseThrow(() -> RejectedException.invalid("Invalid Token: " + field + " is not a valid UUID")));
    }

    /** A UUID as Consul parses one; java.util.UUID alone would also take {@code 1-1-1-1-1}. */
    private static Optional<UUID> parseUuid(String value) {
        return value != null && UUID_TEXT.matcher(value).matches() ? Optional.of(UUID.fromString(value)) : Optional.empty();
    }

    /** Go's %q of an id, as Consul's messages print it. */
    private static String goQuote(String value) {
        return GoDuration.quote(value);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
