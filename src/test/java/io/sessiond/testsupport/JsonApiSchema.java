package io.sessiond.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks admin API documents against src/test/resources/jsonapi-document.schema.json (JSON:API 1.1's rules). */
public final class JsonApiSchema {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private JsonApiSchema() {
    }

    /** Fails with the schema's messages unless {@code body} is a valid JSON:API document; returns it parsed. */
    public static JsonNode assertValid(String body) {
        JsonNode document;
        try {
            document = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
        Set<ValidationMessage> problems = SCHEMA.validate(document);
        assertEquals(Set.of(), problems, "not a JSON:API document: " + body);
        return document;
    }

    private static JsonSchema load() {
        try (InputStream schema = JsonApiSchema.class.getResourceAsStream("/jsonapi-document.schema.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
