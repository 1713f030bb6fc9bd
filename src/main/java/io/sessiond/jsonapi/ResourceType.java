package io.sessiond.jsonapi;

import java.util.Set;

/**
 * A JSON:API resource type of the admin API: its name and its fields (attribute and relationship names),
 * which {@code fields[TYPE]} and {@code filter[...]} are checked against. Each type renders its own
 * resource objects; the generic document layer ({@link JsonApiDocuments}) does the rest.
 */
interface ResourceType {

    String name();

    Set<String> fields();
}
