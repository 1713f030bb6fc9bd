package io.sessiond.consul;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sessiond.catalog.HealthCheck;
import io.sessiond.catalog.Node;
import io.sessiond.catalog.NodeService;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nodes, services and checks as Consul's catalog and health endpoints render them. */
final class CatalogViews {

    private CatalogViews() {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"ID", "Node", "Address", "Datacenter", "TaggedAddresses", "Meta", "CreateIndex", "ModifyIndex"})
    record ConsulNode(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
                      @JsonProperty("Address") String address, @JsonProperty("Datacenter") String datacenter,
                      @JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
                      @JsonProperty("Meta") Map<String, String> meta,
                      @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

        /** Clients (kiwiproject) require both lan and wan when tagged addresses are present. */
        static ConsulNode of(Node node) {
            Map<String, String> tagged = new LinkedHashMap<>();
            tagged.put("lan", node.address);
            tagged.put("wan", node.address);
            tagged.putAll(node.taggedAddresses);
            return new ConsulNode(node.id.toString(), node.name, node.address, node.datacenter, tagged, node.meta,
                    node.createIndex, node.modifyIndex);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"ID", "Service", "Tags", "Address", "Port", "CreateIndex", "ModifyIndex"})
    record ConsulService(@JsonProperty("ID") String id, @JsonProperty("Service") String service,
                         @JsonProperty("Tags") List<String> tags, @JsonProperty("Address") String address,
                         @JsonProperty("Port") int port,
                         @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

        static ConsulService of(NodeService service) {
            return new ConsulService(service.serviceId, service.serviceName, Arrays.asList(service.tags),
                    service.address, service.port, service.createIndex, service.modifyIndex);
        }
    }

    /** {@code GET /v1/catalog/node/<node>}: the node and its services by ID. */
    @RegisterForReflection
    @JsonPropertyOrder({"Node", "Services"})
    record ConsulNodeServices(@JsonProperty("Node") ConsulNode node,
                              @JsonProperty("Services") Map<String, ConsulService> services) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags",
            "Type", "Definition", "CreateIndex", "ModifyIndex"})
    record ConsulCheck(@JsonProperty("Node") String node, @JsonProperty("CheckID") String checkId,
                       @JsonProperty("Name") String name, @JsonProperty("Status") String status,
                       @JsonProperty("Notes") String notes, @JsonProperty("Output") String output,
                       @JsonProperty("ServiceID") String serviceId, @JsonProperty("ServiceName") String serviceName,
                       @JsonProperty("ServiceTags") List<String> serviceTags, @JsonProperty("Type") String type,
                       @JsonProperty("Definition") Map<String, Object> definition,
                       @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

        static ConsulCheck of(HealthCheck check, List<String> serviceTags) {
            return new ConsulCheck(check.node, check.checkId, check.name, check.status, check.notes, check.output,
                    check.serviceId, check.serviceName, serviceTags, check.ttlNs == null ? "" : "ttl", Map.of(),
                    check.createIndex, check.modifyIndex);
        }
    }
}
