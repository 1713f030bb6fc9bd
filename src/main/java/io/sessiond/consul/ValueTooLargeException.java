package io.sessiond.consul;

/** A request body larger than Consul accepts; answered with 413 and Consul's text. */
class ValueTooLargeException extends RuntimeException {

    ValueTooLargeException(long size, long max) {
        super("Request body(" + size + " bytes) too large, max size: " + max
                + " bytes. See https://www.consul.io/docs/agent/config/config-files#kv_max_value_size.", null, false, false);
    }
}
