package io.sessiond.config;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Defaults for settings that an extension reads at run time although Quarkus treats them as build-time
 * settings: the packaged application does not see them in {@code application.properties}, only in a source
 * present when it runs (system properties, the environment, or this one). Its ordinal is below
 * {@code application.properties}' so that any explicit setting still wins.
 */
public class RunTimeDefaults implements ConfigSource {

    /**
     * OpenAPI keeps the parsed document and renders it when {@code /q/openapi} is asked for, instead of
     * rendering it as JSON and as YAML at every start: a third of the start-up CPU the operations extensions
     * added to the native executable (docs/native.md).
     */
    static final Map<String, String> DEFAULTS = Map.of("quarkus.smallrye-openapi.always-run-filter", "true");

    @Override
    public Set<String> getPropertyNames() {
        return DEFAULTS.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return DEFAULTS.get(propertyName);
    }

    @Override
    public String getName() {
        return "sessiond-run-time-defaults";
    }

    @Override
    public int getOrdinal() {
        return 200;
    }
}
