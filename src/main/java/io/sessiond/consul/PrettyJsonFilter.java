package io.sessiond.consul;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

import java.nio.charset.StandardCharsets;

/** {@code ?pretty}: JSON indented by four spaces and ended by a newline, as Go's MarshalIndent writes it. */
@Provider
@ConsulApi
public class PrettyJsonFilter implements ContainerResponseFilter {

    private final ObjectWriter writer;

    public PrettyJsonFilter(ObjectMapper mapper) {
        Separators goSeparators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        this.writer = mapper.writer(new DefaultPrettyPrinter(goSeparators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws JsonProcessingException {
        if (!request.getUriInfo().getQueryParameters().containsKey("pretty") || !response.hasEntity()
                || !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            return;
        }
        byte[] pretty = (writer.writeValueAsString(response.getEntity()) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setEntity(pretty, response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
    }
}
