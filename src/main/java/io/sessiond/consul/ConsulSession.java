package io.sessiond.consul;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sessiond.session.Session;

import java.util.Arrays;
import java.util.List;

/** A session as Consul renders it: Go field names, Consul's field order, durations in nanoseconds. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"ID", "Name", "Node", "LockDelay", "Behavior", "TTL", "NodeChecks", "ServiceChecks", "Checks",
        "CreateIndex", "ModifyIndex"})
public record ConsulSession(
        @JsonProperty("ID") String id,
        @JsonProperty("Name") String name,
        @JsonProperty("Node") String node,
        @JsonProperty("LockDelay") long lockDelay,
        @JsonProperty("Behavior") String behavior,
        @JsonProperty("TTL") String ttl,
        @JsonProperty("NodeChecks") List<String> nodeChecks,
        @JsonProperty("ServiceChecks") List<ServiceCheck> serviceChecks,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("Checks") List<String> checks,
        @JsonProperty("CreateIndex") long createIndex,
        @JsonProperty("ModifyIndex") long modifyIndex) {

    /** A service check a session is bound to; namespaces are an Enterprise feature, so always empty. */
    @RegisterForReflection
    @JsonPropertyOrder({"ID", "Namespace"})
    public record ServiceCheck(@JsonProperty("ID") String id, @JsonProperty("Namespace") String namespace) {
    }

    static ConsulSession of(Session session) {
        return new ConsulSession(session.id.toString(), session.name, session.node, session.lockDelayNs,
                session.behavior, session.ttl, list(session.nodeChecks),
                session.serviceChecks == null ? null
                        : Arrays.stream(session.serviceChecks).map(id -> new ServiceCheck(id, "")).toList(),
                list(session.checks), session.createIndex, session.modifyIndex);
    }

    static List<ConsulSession> of(List<Session> sessions) {
        return sessions.stream().map(ConsulSession::of).toList();
    }

    private static List<String> list(String[] values) {
        return values == null ? null : List.of(values);
    }
}
