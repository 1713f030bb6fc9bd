package io.sessiond.operations;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds to every operation of {@code /q/openapi} the errors its API answers with, in that API's format:
 * Consul's plain text (Consul's exact wording), or a JSON:API error document ({@code {"errors":[...]}}) for
 * the admin and web-session APIs. An operation's API is its tag, which every resource class declares. Each
 * error is described once per format among the components' responses and referred to by the operations,
 * which keeps the document a third of the size it had with each operation's errors written out.
 * Runs when the document is built (at build time).
 */
public class OpenApiErrors implements OASFilter {

    static final String CONSUL = "Consul";
    static final String ADMIN = "Admin";
    static final String WEB_SESSIONS = "Web sessions";

    private static final String JSON_API = "application/vnd.api+json";
    private static final String RESPONSES = "#/components/responses/";

    /** An error an operation may answer with: its status, why, and its name among the components' responses. */
    private record Error(String status, String name, String description) {
    }

    /** The errors every operation may answer with. */
    private static final List<Error> EVERY_OPERATION = List.of(
            new Error("400", "BadRequest", "The request is invalid: the message names the problem; nothing changed"),
            new Error("403", "Forbidden", "Refused by the ACLs (Permission denied, or ACL not found)"),
            new Error("500", "InternalError", "sessiond's own failure"),
            new Error("503", "Unavailable", "The database is unreachable; retry later"));
    private static final Error BODY_TOO_LARGE = new Error("413", "BodyTooLarge",
            "The body is larger than the limit (quarkus.http.limits.max-body-size; 512 KiB for a KV value)");
    private static final Error NOT_FOUND = new Error("404", "NotFound", "Nothing at this path");

    /** The two error formats: each error is described once per format and referred to by the operations. */
    private enum Format {
        CONSUL_TEXT("Consul"), JSON_API_ERRORS("JsonApi");

        private final String prefix;

        Format(String prefix) {
            this.prefix = prefix;
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        List<Error> errors = new ArrayList<>(EVERY_OPERATION);
        errors.add(BODY_TOO_LARGE);
        for (Error error : errors) {
            components.addResponse(Format.CONSUL_TEXT.prefix + error.name(),
                    OASFactory.createAPIResponse().description(error.description()).content(consulError()));
        }
        errors.add(NOT_FOUND);
        for (Error error : errors) {
            components.addResponse(Format.JSON_API_ERRORS.prefix + error.name(),
                    OASFactory.createAPIResponse().description(error.description()).content(jsonApiError()));
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            List<String> tags = operation.getTags() == null ? List.of() : operation.getTags();
            Format format = tags.contains(CONSUL) ? Format.CONSUL_TEXT : tags.isEmpty() ? null : Format.JSON_API_ERRORS;
            if (format == null) {
                return;
            }
            if (operation.getResponses() == null) {
                operation.setResponses(OASFactory.createAPIResponses());
            }
            APIResponses responses = operation.getResponses();
            EVERY_OPERATION.forEach(error -> add(responses, error, format));
            if (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH) {
                add(responses, BODY_TOO_LARGE, format);
            }
            if (path.contains("{") && format != Format.CONSUL_TEXT) {
                add(responses, NOT_FOUND, format);
            }
        }));
    }

    private static void add(APIResponses responses, Error error, Format format) {
        if (!responses.hasAPIResponse(error.status())) {
            responses.addAPIResponse(error.status(), OASFactory.createAPIResponse().ref(RESPONSES + format.prefix + error.name()));
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
