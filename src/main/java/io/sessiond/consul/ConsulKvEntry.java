package io.sessiond.consul;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sessiond.kv.KvEntry;

import java.math.BigInteger;
import java.util.Base64;
import java.util.List;

/** A KV entry as Consul renders it: unsigned Flags, base64 Value (null when empty), Session only while locked. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"LockIndex", "Key", "Flags", "Value", "Session", "CreateIndex", "ModifyIndex"})
public record ConsulKvEntry(
        @JsonProperty("LockIndex") long lockIndex,
        @JsonProperty("Key") String key,
        @JsonProperty("Flags") BigInteger flags,
        @JsonProperty("Value") String value,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("Session") String session,
        @JsonProperty("CreateIndex") long createIndex,
        @JsonProperty("ModifyIndex") long modifyIndex) {

    static ConsulKvEntry of(KvEntry entry) {
        return new ConsulKvEntry(entry.lockIndex, entry.key, new BigInteger(Long.toUnsignedString(entry.flags)),
                entry.value == null ? null : Base64.getEncoder().encodeToString(entry.value),
                entry.session == null ? null : entry.session.toString(),
                entry.createIndex, entry.modifyIndex);
    }

    static List<ConsulKvEntry> of(List<KvEntry> entries) {
        return entries.stream().map(ConsulKvEntry::of).toList();
    }
}
