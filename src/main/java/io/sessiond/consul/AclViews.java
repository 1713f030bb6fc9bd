package io.sessiond.consul;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sessiond.acl.AclPolicy;
import io.sessiond.acl.AclService;

import java.util.List;

/** Policies and tokens as Consul's {@code /v1/acl} endpoints render them (Go {@code api.ACLPolicy}, {@code api.ACLToken}). */
final class AclViews {

    private AclViews() {
    }

    /** A policy; in lists without its rules ({@code api.ACLPolicyListEntry}). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonPropertyOrder({"ID", "Name", "Description", "Rules", "Datacenters", "CreateIndex", "ModifyIndex"})
    record ConsulAclPolicy(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                           @JsonProperty("Description") String description,
                           @JsonProperty("Rules") String rules,
                           @JsonProperty("Datacenters") List<String> datacenters,
                           @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

        static ConsulAclPolicy of(AclPolicy policy) {
            return new ConsulAclPolicy(policy.id.toString(), policy.name, policy.description, policy.rules, List.of(),
                    policy.createIndex, policy.modifyIndex);
        }

        static ConsulAclPolicy listEntry(AclPolicy policy) {
            return new ConsulAclPolicy(policy.id.toString(), policy.name, policy.description, null, List.of(),
                    policy.createIndex, policy.modifyIndex);
        }
    }

    @RegisterForReflection
    @JsonPropertyOrder({"ID", "Name"})
    record PolicyLink(@JsonProperty("ID") String id, @JsonProperty("Name") String name) {
    }

    /** A token; its SecretID only in the answer to its creation, never afterwards. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"AccessorID", "SecretID", "Description", "Policies", "Local", "ExpirationTime", "CreateTime",
            "CreateIndex", "ModifyIndex"})
    record ConsulAclToken(@JsonProperty("AccessorID") String accessorId, @JsonProperty("SecretID") String secretId,
                          @JsonProperty("Description") String description,
                          @JsonProperty("Policies") List<PolicyLink> policies,
                          @JsonProperty("Local") boolean local,
                          @JsonProperty("ExpirationTime") String expirationTime,
                          @JsonProperty("CreateTime") String createTime,
                          @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

        /**
         * Go's {@code omitempty} leaves out a token's empty policy list and a missing expiration time. Consul
         * turns an ExpirationTTL into the ExpirationTime at creation and never shows the TTL again.
         */
        static ConsulAclToken of(AclService.TokenInfo info) {
            List<PolicyLink> links = info.policies().stream()
                    .map(policy -> new PolicyLink(policy.id.toString(), policy.name)).toList();
            return new ConsulAclToken(info.token().accessorId.toString(), info.secretId(), info.token().description,
                    links.isEmpty() ? null : links, false,
                    info.token().expirationTime == null ? null : info.token().expirationTime.toString(),
                    info.token().createTime.toString(), info.token().createIndex, info.token().modifyIndex);
        }
    }
}
