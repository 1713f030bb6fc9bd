package io.sessiond.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sessiond.client.SessiondClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sessiond sessions ...}: the operator's view, through the admin API ({@code /v1/sessions}): list with
 * its filters, kill now or later. {@code --idle-over} is applied here, to the {@code idle} attribute of the
 * listed sessions, because the admin API filters by equality only.
 */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = "List and kill sessions through the admin API, with its filters.")
final class SessionsCommand {

    @Spec
    CommandSpec spec;

    /** Which sessions: the admin API's filters, and idleness. */
    static final class Filters {
        @Option(names = "--state", paramLabel = "STATE", description = "'Session started' or 'Stopping session'.")
        String state;

        @Option(names = "--service", paramLabel = "NAME", description = "Sessions created for this service.")
        String service;

        @Option(names = "--node", paramLabel = "NODE", description = "Sessions of this node.")
        String node;

        @Option(names = "--name", paramLabel = "NAME", description = "Sessions with this name.")
        String name;

        @Option(names = "--filter", paramLabel = "PATH=VALUE",
                description = "Any filter of the admin API: the resources whose attribute or relationship at PATH is VALUE.")
        Map<String, String> more = new LinkedHashMap<>();

        @Option(names = "--idle-over", paramLabel = "DURATION", converter = GoDurationConverter.class,
                description = "Sessions no client has used for longer than this (the 'idle' attribute).")
        Duration idleOver;

        Map<String, String> adminFilters() {
            Map<String, String> filters = new LinkedHashMap<>();
            putIfSet(filters, "state", state);
            putIfSet(filters, "services", service);
            putIfSet(filters, "lease/node", node);
            putIfSet(filters, "lease/name", name);
            filters.putAll(more);
            return filters;
        }

        boolean isEmpty() {
            return adminFilters().isEmpty() && idleOver == null;
        }

        boolean keeps(JsonNode session) {
            return idleOver == null || session.path("attributes").path("idle").asDouble() * 1000 > idleOver.toMillis();
        }

        private static void putIfSet(Map<String, String> filters, String path, String value) {
            if (value != null) {
                filters.put(path, value);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists sessions, oldest first: ID, name, service, node, state, TTL, idle and age (seconds).")
    int list(@Mixin Connection connection, @Mixin Filters filters, @Mixin JsonOutput json) throws InterruptedException {
        List<JsonNode> sessions = select(connection.open(), filters);
        PrintWriter out = spec.commandLine().getOut();
        if (json.json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            sessions.forEach(array::add);
            out.println(Api.pretty(array));
        } else {
            Table table = new Table("ID", "NAME", "SERVICE", "NODE", "STATE", "TTL", "IDLE", "AGE");
            for (JsonNode session : sessions) {
                JsonNode attributes = session.path("attributes");
                JsonNode lease = attributes.path("lease");
                table.row(session.path("id").asText(), lease.path("name").asText(""),
                        session.path("relationships").path("services").path("data").path(0).path("id").asText(""),
                        lease.path("node").asText(""), attributes.path("state").asText(),
                        lease.has("ttl") ? lease.path("ttl").asText() : "-", attributes.path("idle").asText(),
                        attributes.path("seconds_alive").asText());
            }
            table.print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = "Kills sessions now (their locks are released at once), or --in DURATION from now: "
                    + "the IDs given, or every session the filters select.")
    int kill(@Mixin Connection connection,
             @Parameters(paramLabel = "ID", arity = "0..*") List<String> ids,
             @Mixin Filters filters,
             @Option(names = "--in", paramLabel = "DURATION", converter = GoDurationConverter.class,
                     description = "Kill them this long from now (whole seconds) instead of now.") Duration in)
            throws InterruptedException {
        Api api = connection.open();
        List<String> targets = new ArrayList<>(ids == null ? List.of() : ids);
        if (targets.isEmpty() == filters.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Name the sessions to kill either by ID or by filters (not both)");
        }
        if (targets.isEmpty()) {
            select(api, filters).forEach(session -> targets.add(session.path("id").asText()));
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String id : targets) {
            api.require("killing session " + id, "DELETE", "v1/sessions/" + Api.encode(id) + (in == null ? "" : "?ttl=" + in.toSeconds()),
                    null);
            out.println((in == null ? "Killed " : "Stopping in " + in.toSeconds() + " s: ") + id);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Every session the filters select, page by page (following the API's next links). */
    static List<JsonNode> select(Api api, Filters filters) throws InterruptedException {
        StringBuilder query = new StringBuilder("page%5Bsize%5D=100");
        filters.adminFilters().forEach((path, value) ->
                query.append("&filter%5B").append(Api.encode(path)).append("%5D=").append(Api.encode(value)));
        String next = "v1/sessions?" + query;
        List<JsonNode> selected = new ArrayList<>();
        while (next != null) {
            SessiondClient.Response page = api.require("listing sessions", "GET", next, null);
            JsonNode document = Api.parse(page.body());
            document.path("data").forEach(session -> {
                if (filters.keeps(session)) {
                    selected.add(session);
                }
            });
            String link = document.path("links").path("next").asText(null);
            next = link == null ? null : relative(link);
        }
        return selected;
    }

    /** A link of the admin API, absolute on the server's public URL, as a path relative to the client's base URL. */
    private static String relative(String link) {
        URI uri = URI.create(link);
        return uri.getRawPath().replaceFirst("^/", "") + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
