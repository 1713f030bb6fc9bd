package io.sessiond.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The coordination record of Consul's semaphore recipe (Go {@code api.Semaphore}, used by {@code consul lock
 * -n}), which this CLI follows so that both take slots of one semaphore: under PREFIX, each contender holds
 * a key PREFIX/SESSION with its session, and PREFIX/.lock holds {@code {"Limit":N,"Holders":{SESSION:true}}},
 * changed only by check-and-set. A holder is alive while some key under the prefix is held by its session.
 */
record SemaphoreState(int limit, Map<String, Boolean> holders) {

    /** The magic flags Go's api.Semaphore writes on the contender and .lock keys. */
    static final String FLAGS = Long.toUnsignedString(0xe0f69a2baa414de0L);
    static final String LOCK_KEY = ".lock";

    /** The .lock key of {@code prefix}, as Go's {@code path.Join(prefix, ".lock")} writes it. */
    static String lockKey(String prefix) {
        return prefix.isEmpty() ? LOCK_KEY : prefix + "/" + LOCK_KEY;
    }

    static String contenderKey(String prefix, String session) {
        return prefix.isEmpty() ? session : prefix + "/" + session;
    }

    /** The .lock entry among a listing of the prefix, or null. */
    static KvPair findLock(List<KvPair> pairs, String prefix) {
        String key = lockKey(prefix);
        return pairs.stream().filter(pair -> pair.key().equals(key)).findFirst().orElse(null);
    }

    /**
     * The record in {@code lock} (an empty one with {@code localLimit} when there is none). A .lock key
     * written by something else than a semaphore, or for another limit, is refused as Go refuses it.
     */
    static SemaphoreState decode(KvPair lock, int localLimit) {
        if (lock != null && !lock.flags().equals(FLAGS)) {
            throw CliFailure.failed("Existing key does not match semaphore use: " + lock.key() + " has flags "
                    + lock.flags() + ", not " + FLAGS);
        }
        SemaphoreState state;
        if (lock == null || lock.value() == null) {
            state = new SemaphoreState(localLimit, new TreeMap<>());
        } else {
            JsonNode record = Api.parse(new String(lock.value(), StandardCharsets.UTF_8));
            Map<String, Boolean> holders = new TreeMap<>();
            record.path("Holders").fields().forEachRemaining(holder -> holders.put(holder.getKey(), holder.getValue().asBoolean()));
            state = new SemaphoreState(record.path("Limit").asInt(), holders);
        }
        if (state.limit() != localLimit) {
            throw CliFailure.failed("semaphore limit conflict (lock: " + state.limit() + ", local: " + localLimit + ")");
        }
        return state;
    }

    /** Without the holders whose session holds no key under the prefix any more (Go's pruneDeadHolders). */
    SemaphoreState pruned(List<KvPair> pairs) {
        Set<String> alive = pairs.stream().filter(KvPair::isHeld).map(KvPair::session).collect(Collectors.toSet());
        Map<String, Boolean> living = new TreeMap<>(holders);
        living.keySet().retainAll(alive);
        return new SemaphoreState(limit, living);
    }

    boolean isFull() {
        return holders.size() >= limit;
    }

    boolean holds(String session) {
        return holders.containsKey(session);
    }

    SemaphoreState with(String session) {
        Map<String, Boolean> more = new TreeMap<>(holders);
        more.put(session, true);
        return new SemaphoreState(limit, more);
    }

    SemaphoreState without(String session) {
        Map<String, Boolean> fewer = new TreeMap<>(holders);
        fewer.remove(session);
        return new SemaphoreState(limit, fewer);
    }

    /** The JSON Go's encoding/json writes for its semaphoreLock struct (fields in order, map keys sorted). */
    String encode() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("Limit", limit);
        record.put("Holders", new TreeMap<>(holders));
        return Api.write(record);
    }
}
