/**
 * Go's text formats that Consul and its clients write and read (durations, quoted strings). Depends on the
 * JDK only, so that the client jar includes it with {@code io.sessiond.client}, which reads the durations the
 * server reports with the same parser that reads them in requests.
 */
package io.sessiond.go;
