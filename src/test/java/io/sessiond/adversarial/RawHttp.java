package io.sessiond.adversarial;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the request says: JDK and library clients refuse or
 * rewrite much of what this suite must send (raw bytes in the request target, NUL in headers, both
 * Content-Length and Transfer-Encoding). One kept-alive connection; a request whose head or framing is
 * deliberately broken gets a connection of its own, so that it cannot desynchronise the next request.
 */
final class RawHttp implements AutoCloseable {

    /** What came back. {@code status} 0: no answer (see {@code problem}). */
    record Answer(int status, Map<String, String> headers, byte[] body, String problem) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttp(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Sends {@code head} (request line and headers, each char one byte, without the blank line) and
     * {@code body}. {@code Host} and, when {@code contentLength}, a correct {@code Content-Length} are added.
     */
    Answer send(String method, String head, byte[] body, boolean contentLength, boolean ownConnection) {
        return send(method, head, body, contentLength, ownConnection, timeoutMillis);
    }

    /** {@code answerWithinMillis}: how long to wait for the answer (on a connection of its own). */
    Answer send(String method, String head, byte[] body, boolean contentLength, boolean ownConnection,
                int answerWithinMillis) {
        StringBuilder request = new StringBuilder(head);
        request.append("\r\nHost: ").append(host).append(':').append(port);
        if (contentLength && body != null) {
            request.append("\r\nContent-Length: ").append(body.length);
        }
        if (ownConnection) {
            request.append("\r\nConnection: close");
        }
        request.append("\r\n\r\n");
        byte[] headBytes = request.toString().getBytes(StandardCharsets.ISO_8859_1);
        try {
            if (ownConnection || socket == null || socket.isClosed()) {
                connect();
            }
            socket.setSoTimeout(answerWithinMillis);
        } catch (IOException e) {
            return new Answer(0, Map.of(), new byte[0], "could not connect: " + e);
        }
        String writeProblem = null;
        try {
            out.write(headBytes);
            if (body != null) {
                out.write(body);
            }
            out.flush();
        } catch (IOException e) {
            // The server may refuse a request before reading all of it (e.g. a body over its cap) and close
            // the connection; its answer may still be readable.
            writeProblem = "the server closed the connection while the request was sent (" + e.getMessage() + ")";
        }
        try {
            Answer answer = read(method.equals("HEAD"));
            String connection = answer.header("connection");
            if (ownConnection || writeProblem != null || connection != null && connection.equalsIgnoreCase("close")) {
                close();
            }
            return answer;
        } catch (SocketTimeoutException e) {
            close();
            return new Answer(0, Map.of(), new byte[0], "no answer within " + answerWithinMillis + " ms");
        } catch (IOException e) {
            close();
            return new Answer(0, Map.of(), new byte[0], writeProblem != null ? writeProblem
                    : "the connection ended without a complete answer (" + e + ")");
        }
    }

    private void connect() throws IOException {
        close();
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    private Answer read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        String transferEncoding = headers.get("transfer-encoding");
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked();
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.trim()));
        } else {
            body = in.readAllBytes();
            close();
        }
        return new Answer(status, headers, body, null);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
            socket = null;
        }
    }

    /** The head's lines for a request: request line, then headers as given. */
    static String head(String method, String target, List<Map.Entry<String, String>> headers) {
        List<String> lines = new ArrayList<>();
        lines.add(method + " " + target + " HTTP/1.1");
        headers.forEach(header -> lines.add(header.getKey() + ": " + header.getValue()));
        return String.join("\r\n", lines);
    }
}
