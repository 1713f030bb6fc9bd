package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.config.SessiondConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.UriInfo;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The generic JSON:API layer, the same for every resource type: it checks the query, and builds single,
 * collection and relationship documents with their links, applying filters, then sorting, then paging, then sparse
 * fieldsets (MaxScale's order, so {@code meta.total} counts what the filters kept).
 */
@ApplicationScoped
public class JsonApiDocuments {

    private final ObjectMapper mapper;
    private final Optional<String> publicUrl;
    private final RemoteNames remoteNames;
    private final Set<String> typeNames;

    public JsonApiDocuments(ObjectMapper mapper, SessiondConfig config, RemoteNames remoteNames,
                            Instance<ResourceType> types) {
        this.mapper = mapper;
        this.publicUrl = config.admin().publicUrl().map(url -> url.replaceAll("/+$", ""));
        this.remoteNames = remoteNames;
        this.typeNames = types.stream().map(ResourceType::name).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Checks the request's query for an endpoint taking {@code families} whose primary data is of type
     * {@code primary}; {@code path} is the resource path after {@code /v1/}, for the links.
     */
    AdminRequest request(UriInfo uri, Set<JsonApiQuery.Family> families, ResourceType primary, String... path) {
        JsonApiQuery query = JsonApiQuery.parse(uri.getRequestUri().getRawQuery(), families, typeNames, primary.fields());
        String base = publicUrl.orElseGet(() -> uri.getBaseUri().toString().replaceAll("/+$", ""));
        return new AdminRequest(query, new Rendering(base, query.rdns(), remoteNames), path);
    }

    ObjectNode single(ObjectNode resource, AdminRequest request) {
        ObjectNode document = mapper.createObjectNode();
        document.putObject("links").put("self", request.self());
        document.set("data", sparse(resource, request.query()));
        return document;
    }

    /**
     * A collection: {@code resources} in their order, filtered, paged and sparse. {@code snapshot} is the
     * change index the collection was read at, carried in paging links when the endpoint takes one (0: none).
     */
    ObjectNode collection(List<ObjectNode> resources, AdminRequest request, long snapshot) {
        JsonApiQuery query = request.query();
        List<ObjectNode> kept = resources.stream()
                .filter(resource -> query.filters().values().stream().allMatch(filter -> filter.matches(resource)))
                .sorted(query.sort().stream().map(FieldValues.SortKey::comparator)
                        .reduce(Comparator::thenComparing).orElse((a, b) -> 0))
                .toList();
        List<ObjectNode> shown = query.page().map(page -> {
            long from = (long) page.number() * page.size();
            return from >= kept.size() ? List.<ObjectNode>of()
                    : kept.subList((int) from, (int) Math.min(kept.size(), from + page.size()));
        }).orElse(kept);
        return collection(shown, kept.size(), request, snapshot);
    }

    /**
     * A page of a collection that its store has already cut, for a request without filters: {@code shown}
     * are the resources of the requested page (or all of them without paging), {@code total} the size of the
     * whole collection. Sparse fieldsets and links as for any collection.
     */
    ObjectNode storePage(List<ObjectNode> shown, long total, AdminRequest request) {
        if (!request.query().filters().isEmpty() || !request.query().sort().isEmpty()) {
            throw new IllegalArgumentException("A page cut by its store cannot be filtered or sorted here");
        }
        return collection(shown, total, request, 0);
    }

    private ObjectNode collection(List<ObjectNode> shown, long total, AdminRequest request, long snapshot) {
        ObjectNode document = mapper.createObjectNode();
        ObjectNode links = document.putObject("links");
        Optional<JsonApiQuery.Page> page = request.query().page();
        if (page.isPresent()) {
            int size = page.get().size();
            long number = page.get().number();
            long last = Math.max(0, (total + size - 1) / size - 1);
            links.put("self", request.page(page.get(), snapshot, number));
            links.put("first", request.page(page.get(), snapshot, 0));
            links.put("last", request.page(page.get(), snapshot, last));
            if (number < last) {
                links.put("next", request.page(page.get(), snapshot, number + 1));
            }
            if (number > 0) {
                links.put("prev", request.page(page.get(), snapshot, Math.min(number - 1, last)));
            }
        } else {
            links.put("self", request.self());
        }
        ArrayNode data = document.putArray("data");
        shown.forEach(resource -> data.add(sparse(resource, request.query())));
        document.putObject("meta").put("total", total);
        return document;
    }

    /** A relationship's own document: its links and its resource identifiers. */
    ObjectNode relationship(ObjectNode resource, String name, AdminRequest request) {
        JsonNode relationship = resource.path("relationships").path(name);
        ObjectNode document = mapper.createObjectNode();
        ObjectNode links = document.putObject("links");
        links.put("self", request.self());
        if (relationship.path("links").has("related")) {
            links.set("related", relationship.path("links").get("related"));
        }
        document.set("data", relationship.get("data"));
        return document;
    }

    /** A resource object's skeleton: type, id, and its own link when it has one. */
    ObjectNode resource(String type, String id, String self) {
        ObjectNode resource = mapper.createObjectNode().put("type", type).put("id", id);
        if (self != null) {
            resource.putObject("links").put("self", self);
        }
        return resource;
    }

    /** A resource identifier object. */
    ObjectNode identifier(String type, String id) {
        return mapper.createObjectNode().put("type", type).put("id", id);
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    /**
     * Applies {@code fields[TYPE]} to a resource object: only the listed paths of its attributes and
     * relationships stay; a member with nothing left goes. {@code type}, {@code id} and {@code links} stay.
     */
    private ObjectNode sparse(ObjectNode resource, JsonApiQuery query) {
        Optional<List<List<String>>> paths = query.fields(resource.path("type").asText());
        if (paths.isEmpty()) {
            return resource;
        }
        ObjectNode result = resource.deepCopy();
        for (String member : List.of("attributes", "relationships")) {
            if (!resource.has(member)) {
                continue;
            }
            ObjectNode selected = mapper.createObjectNode();
            paths.get().forEach(path -> select(resource.get(member), path, 0, selected));
            if (selected.isEmpty()) {
                result.remove(member);
            } else {
                result.set(member, selected);
            }
        }
        return result;
    }

    /** Copies the part of {@code source} at {@code path} into {@code target}; a path stops at a non-object. */
    private static void select(JsonNode source, List<String> path, int depth, ObjectNode target) {
        JsonNode child = source.get(path.get(depth));
        if (child == null) {
            return;
        }
        String name = path.get(depth);
        if (depth == path.size() - 1 || !child.isObject()) {
            target.set(name, child.deepCopy());
            return;
        }
        ObjectNode nested = target.get(name) instanceof ObjectNode existing ? existing : null;
        ObjectNode into = nested != null ? nested : target.objectNode();
        select(child, path, depth + 1, into);
        if (nested == null && !into.isEmpty()) {
            target.set(name, into);
        }
    }
}
