import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a server and measures its start-up to the first served request for the scripts in src/bench: the
 * time from starting the command to the first HTTP 200 answer from {@code url}. The probe is already running
 * when the command starts, and polls with a plain socket every millisecond (a refused connection costs
 * microseconds), so the figure holds neither a process start of its own nor a polling interval of 10 ms.
 *
 * <p>The command keeps running when the probe exits; its output goes to {@code log}, its PID to
 * {@code pidFile}. Prints {@code millis=M} (three decimals). Exits 1, and stops the command, when the command
 * exits first or has not answered within {@code limitSeconds}.
 *
 * <p>Usage: {@code java StartProbe.java <url> <limitSeconds> <log> <pidFile> -- <command> [args...]} (a
 * single-file program: the JDK runs it from source, nothing to build). The command inherits the
 * environment.
 */
public class StartProbe {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        long limitNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        File log = new File(args[2]);
        Path pidFile = Path.of(args[3]);
        if (args.length < 6 || !args[4].equals("--")) {
            throw new IllegalArgumentException("usage: StartProbe <url> <limitSeconds> <log> <pidFile> -- <command...>");
        }
        List<String> command = Arrays.asList(args).subList(5, args.length);
        byte[] request = ("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log));
        long start = System.nanoTime();
        Process server = builder.start();
        Files.writeString(pidFile, server.pid() + "\n");
        while (!answers200(address, request)) {
            if (!server.isAlive()) {
                fail("the command exited (status " + server.exitValue() + ") before " + url + " answered", server);
            }
            if (System.nanoTime() - start > limitNanos) {
                fail(url + " did not answer within " + args[1] + " s", server);
            }
            Thread.sleep(1);
        }
        long elapsed = System.nanoTime() - start;
        System.out.printf("millis=%.3f%n", elapsed / 1e6);
    }

    /** False while nothing listens or the server answers otherwise (it may listen before it serves). */
    private static boolean answers200(InetSocketAddress address, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] status = in.readNBytes("HTTP/1.1 200".length());
            return new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void fail(String message, Process server) {
        System.err.println(message);
        server.destroyForcibly();
        System.exit(1);
    }
}
