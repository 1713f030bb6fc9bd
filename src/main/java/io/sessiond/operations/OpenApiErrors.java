package io.sessiond.operations;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;

/**
 * Adds to every operation of {@code /q/openapi} the errors its API answers with, in that API's format:
 * Consul's plain text (Consul's exact wording), or a JSON:API error document ({@code {"errors":[...]}}) for
 * the admin and web-session APIs. An operation's API is its tag, which every resource class declares.
 * Runs when the document is built (at build time), so it costs the start-up nothing.
 */
public class OpenApiErrors implements OASFilter {

    static final String CONSUL = "Consul";
    static final String ADMIN = "Admin";
    static final String WEB_SESSIONS = "Web sessions";

    private static final String JSON_API = "application/vnd.api+json";

    /** The statuses every operation may answer with, and why. */
    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "400", "The request is invalid: the message names the problem; nothing changed",
            "403", "Refused by the ACLs (Permission denied, or ACL not found)",
            "500", "sessiond's own failure",
            "503", "The database is unreachable; retry later");
    private static final String BODY_TOO_LARGE = "The body is larger than the limit (quarkus.http.limits.max-body-size; 512 KiB for a KV value)";
    private static final String NOT_FOUND = "Nothing at this path";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            List<String> tags = operation.getTags() == null ? List.of() : operation.getTags();
            Content errorBody = tags.contains(CONSUL) ? consulError() : tags.isEmpty() ? null : jsonApiError();
            if (errorBody == null) {
                return;
            }
            if (operation.getResponses() == null) {
                operation.setResponses(OASFactory.createAPIResponses());
            }
            APIResponses responses = operation.getResponses();
            EVERY_OPERATION.forEach((status, why) -> add(responses, status, why, errorBody));
            if (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH) {
                add(responses, "413", BODY_TOO_LARGE, errorBody);
            }
            if (path.contains("{") && !tags.contains(CONSUL)) {
                add(responses, "404", NOT_FOUND, errorBody);
            }
        }));
    }

    private static void add(APIResponses responses, String status, String description, Content body) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(body));
        }
    }

    private static Content consulError() {
        return OASFactory.createContent().addMediaType("text/plain", OASFactory.createMediaType()
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Consul's error text, e.g. Missing node registration")));
    }

    private static Content jsonApiError() {
        Schema error = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("source", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                        .addProperty("parameter", OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        Schema document = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).addRequired("errors")
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(error));
        return OASFactory.createContent().addMediaType(JSON_API, OASFactory.createMediaType().schema(document));
    }
}
