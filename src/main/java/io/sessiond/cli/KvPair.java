package io.sessiond.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One entry of a Consul KV read, as Go's {@code api.KVPair}: flags as the unsigned decimal Consul writes,
 * the value decoded (null when the key has none), the holding session ("" when free).
 */
record KvPair(String key, String session, String flags, byte[] value, long lockIndex, long createIndex, long modifyIndex) {

    static List<KvPair> list(String body) {
        List<KvPair> pairs = new ArrayList<>();
        for (JsonNode entry : Api.parse(body)) {
            pairs.add(of(entry));
        }
        return pairs;
    }

    static KvPair of(JsonNode entry) {
        JsonNode value = entry.path("Value");
        return new KvPair(entry.path("Key").asText(), entry.path("Session").asText(""), entry.path("Flags").asText("0"),
                value.isNull() || value.isMissingNode() ? null : Base64.getDecoder().decode(value.asText()),
                entry.path("LockIndex").asLong(), entry.path("CreateIndex").asLong(), entry.path("ModifyIndex").asLong());
    }

    String valueText() {
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }

    boolean isHeld() {
        return !session.isEmpty();
    }
}
