package io.sessiond.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The application's ObjectMapper refuses trailing tokens too, so that anything bound with it directly (a
 * resource parameter, a readValue) is as strict as {@link StrictJson#readTree}.
 */
@Singleton
public class StrictObjectMapper implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        StrictJson.configure(mapper);
    }
}
