package io.sessiond.jsonapi;

import java.util.Set;

/**
 * A JSON:API resource type of the admin API: its name and its fields (attribute and relationship names),
 * which {@code fields[TYPE]} and {@code filter[...]} are checked against. Each type renders its own
 * resource objects with {@link #documents}; the generic document layer ({@link JsonApiDocuments}) does the
 * rest. Types are {@code @Singleton} beans: without a client proxy they need no no-args constructor, so
 * they can hand their name and fields to this one.
 */
abstract class ResourceType {

    private final String name;
    private final Set<String> fields;
    protected final JsonApiDocuments documents;

    ResourceType(String name, Set<String> fields, JsonApiDocuments documents) {
        this.name = name;
        this.fields = fields;
        this.documents = documents;
    }

    String name() {
        return name;
    }

    Set<String> fields() {
        return fields;
    }
}
