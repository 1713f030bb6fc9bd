package io.sessiond.testsupport;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Exact bytes over a socket to the test server, for requests an HTTP client library would correct or refuse to
 * send (conflicting framing headers, malformed request lines), and the one response they get, parsed loosely.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** One response: the status, its headers (names lower-cased, the last of repeated ones) and its body. */
    public record Answer(int status, Map<String, String> headers, String body, String raw) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return raw;
        }
    }

    /** Sends {@code request} (CRLFs included) with {@code Connection: close} semantics and reads the first response. */
    public static Answer send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Answer send(byte[] request) {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            // Written beside the read: a server may answer (and close) before a large body is all sent.
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException e) {
                    // The server stopped reading; its answer is what the test looks at.
                }
            });
            writer.start();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("Raw request failed: " + e, e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headerEnd = -1;
        Map<String, String> headers = new LinkedHashMap<>();
        int status = -1;
        long contentLength = -1;
        boolean chunked = false;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                // A server that closes with unread request bytes may reset the connection after answering.
                if (received.size() > 0) {
                    break;
                }
                throw e;
            }
            if (n < 0) {
                break;
            }
            received.write(buffer, 0, n);
            String text = received.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                String[] lines = text.substring(0, headerEnd).split("\r\n");
                status = Integer.parseInt(lines[0].split(" ")[1]);
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
                }
                contentLength = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length")) : -1;
                chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            }
            if (headerEnd >= 0) {
                int bodyBytes = received.size() - headerEnd - 4;
                if (contentLength >= 0 && bodyBytes >= contentLength || chunked && text.endsWith("0\r\n\r\n")) {
                    break;
                }
            }
        }
        String text = received.toString(StandardCharsets.UTF_8);
        if (headerEnd < 0) {
            throw new IllegalStateException("No complete response, received: " + text);
        }
        String body = text.substring(text.indexOf("\r\n\r\n") + 4);
        if (chunked) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body, text);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
