package io.sessiond.consul;

import io.sessiond.http.ErrorFormat;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/** Consul's errors are plain text. Every path no other dialect owns is Consul's (sessiond is on Consul's port). */
@ApplicationScoped
@Priority(0)
public class ConsulErrorFormat implements ErrorFormat {

    @Override
    public String api() {
        return "consul";
    }

    @Override
    public boolean owns(String path) {
        return true;
    }

    @Override
    public String contentType() {
        return ConsulResponses.PLAIN_TEXT.toString();
    }

    @Override
    public String body(int status, String message) {
        return message;
    }

    /** Consul's answer for a path its router does not know. */
    @Override
    public String unknownPath(String path) {
        return "Invalid URL path: not a recognized HTTP API endpoint\n";
    }
}
