package io.sessiond.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessiond.client.SessiondClient;
import io.sessiond.go.GoDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code sessiond session ...}: Consul's session API (create, info, list, renew, destroy). */
@Command(name = "session", mixinStandardHelpOptions = true,
        description = "Create, show, list, renew and destroy sessions (Consul's session API).")
final class SessionCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a session and prints its ID.")
    int create(@Mixin Connection connection, @Option(names = "--name", paramLabel = "NAME", description = "Its name.") String name,
               @Option(names = "--ttl", paramLabel = "DURATION", converter = GoDurationConverter.class,
                       description = "Its TTL (none: it lives until destroyed or its node dies).") Duration ttl,
               @Option(names = "--lock-delay", paramLabel = "DURATION", converter = GoDurationConverter.class,
                       description = "Its lock-delay (sessiond's default: 15s).") Duration lockDelay,
               @Option(names = "--behavior", paramLabel = "release|delete", description = "What its end does to its keys.")
               String behavior,
               @Option(names = "--node", paramLabel = "NODE", description = "Its node (default: the server's).") String node)
            throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        putIfSet(body, "Name", name);
        putIfSet(body, "Node", node);
        putIfSet(body, "TTL", ttl == null ? null : GoDuration.format(ttl.toNanos()));
        putIfSet(body, "LockDelay", lockDelay == null ? null : GoDuration.format(lockDelay.toNanos()));
        putIfSet(body, "Behavior", behavior);
        SessiondClient.Response created = connection.open().require("creating a session", "PUT", "v1/session/create",
                Api.write(body));
        out().println(Api.parse(created.body()).path("ID").asText());
        return ExitCodes.OK;
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Shows one session.")
    int info(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id, @Mixin JsonOutput json) throws InterruptedException {
        JsonNode sessions = Api.parse(connection.open().require("reading session " + id, "GET",
                "v1/session/info/" + Api.encode(id), null).body());
        if (sessions.isEmpty()) {
            throw CliFailure.failed("Session id '" + id + "' not found");
        }
        return print(sessions, json);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the live sessions (of one node with --node).")
    int list(@Mixin Connection connection, @Option(names = "--node", paramLabel = "NODE", description = "Only this node's sessions.") String node,
             @Mixin JsonOutput json) throws InterruptedException {
        String path = node == null ? "v1/session/list" : "v1/session/node/" + Api.encode(node);
        return print(Api.parse(connection.open().require("listing sessions", "GET", path, null).body()), json);
    }

    @Command(name = "renew", mixinStandardHelpOptions = true, description = "Renews a session once and prints its TTL.")
    int renew(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id) throws InterruptedException {
        JsonNode renewed = Api.parse(connection.open().require("renewing session " + id, "PUT",
                "v1/session/renew/" + Api.encode(id), null).body());
        out().println(renewed.path(0).path("TTL").asText(""));
        return ExitCodes.OK;
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = "Destroys a session: its keys are released (or deleted, by its behavior).")
    int destroy(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id) throws InterruptedException {
        connection.open().require("destroying session " + id, "PUT", "v1/session/destroy/" + Api.encode(id), null);
        return ExitCodes.OK;
    }

    private int print(JsonNode sessions, JsonOutput json) {
        if (json.json) {
            out().println(Api.pretty(sessions));
            out().flush();
            return ExitCodes.OK;
        }
        Table table = new Table("ID", "NAME", "NODE", "BEHAVIOR", "TTL", "LOCK-DELAY");
        for (JsonNode session : sessions) {
            table.row(session.path("ID").asText(), session.path("Name").asText(), session.path("Node").asText(),
                    session.path("Behavior").asText(), session.path("TTL").asText(),
                    GoDuration.format(session.path("LockDelay").asLong()));
        }
        table.print(out());
        return ExitCodes.OK;
    }

    private static void putIfSet(Map<String, Object> body, String field, Object value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
