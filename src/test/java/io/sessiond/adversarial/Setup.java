package io.sessiond.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.adversarial.RawHttp.Answer;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The suite's own valid requests, which make the state the generated requests attack: nodes with a
 * service and checks, sessions (one holding a lock), keys, web sessions (one locked) and, with ACLs on, a
 * policy and a read-only token. Nothing made here expires by itself during a run (no TTLs, no lock delay,
 * a web-session lock of the longest lease, 300 s). Its sessions are bound to no check, so that a generated
 * request that fails or removes a check does not stop later rounds from making sessions.
 */
final class Setup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RawHttp http;
    private final FuzzState state;

    Setup(RawHttp http, FuzzState state) {
        this.http = http;
        this.state = state;
    }

    void run(int round) {
        for (int i = 0; i < 3; i++) {
            String node = "fuzz-node-" + round + "-" + i;
            ok("PUT", "/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Address\":\"10.9.0." + i
                    + "\",\"Service\":{\"ID\":\"web-" + i + "\",\"Service\":\"web\",\"Tags\":[\"a\"],\"Port\":80},"
                    + "\"Check\":{\"CheckID\":\"web-check-" + i + "\",\"Name\":\"web\",\"Status\":\"passing\",\"ServiceID\":\"web-"
                    + i + "\"}}");
            state.nodes.add(node);
            state.checks.add("web-check-" + i);
        }
        ok("PUT", "/v1/agent/check/register", "{\"Name\":\"fuzz check\",\"CheckID\":\"fuzz-check-" + round + "\"}");
        state.checks.add("fuzz-check-" + round);
        for (int i = 0; i < 3; i++) {
            String id = ok("PUT", "/v1/session/create", "{\"Name\":\"fuzz-setup-" + round + "-" + i
                    + "\",\"LockDelay\":\"0s\",\"Checks\":[],\"NodeChecks\":[]}").path("ID").asText();
            state.sessions.add(id);
        }
        String holder = state.sessions.get(state.sessions.size() - 1);
        for (String key : new String[]{"fuzz/a", "fuzz/dir/b", "fuzz/" + round + "/c"}) {
            okRaw("PUT", "/v1/kv/" + key, "value of " + key);
            if (!state.keys.contains(key)) {
                state.keys.add(key);
            }
        }
        String locked = "fuzz/locked-" + round;
        okRaw("PUT", "/v1/kv/" + locked + "?acquire=" + holder, "held");
        state.keys.add(locked);
        for (int i = 0; i < 3; i++) {
            JsonNode session = ok("POST", "/v1/web-sessions", "{\"data\":{\"user\":\"alice-" + i + "\",\"n\":" + i + "}}");
            state.webSessions.add(session.path("id").asText());
        }
        String lockToken = ok("POST", "/v1/web-sessions/" + state.webSessions.get(state.webSessions.size() - 1) + "/lock",
                "{\"ttl\":300}").path("lockToken").asText();
        state.lockTokens.add(lockToken);
        if (state.managementToken != null) {
            String name = "fuzz-read-" + round;
            JsonNode policy = ok("PUT", "/v1/acl/policy", "{\"Name\":\"" + name + "\",\"Rules\":\"{\\\"key_prefix\\\":"
                    + "{\\\"\\\":{\\\"policy\\\":\\\"read\\\"}},\\\"session_prefix\\\":{\\\"\\\":{\\\"policy\\\":\\\"read\\\"}},"
                    + "\\\"node_prefix\\\":{\\\"\\\":{\\\"policy\\\":\\\"read\\\"}},\\\"service_prefix\\\":{\\\"\\\":"
                    + "{\\\"policy\\\":\\\"read\\\"}}}\"}");
            state.policyIds.add(policy.path("ID").asText());
            state.policyNames.add(name);
            JsonNode token = ok("PUT", "/v1/acl/token", "{\"Description\":\"fuzz read-only\",\"Policies\":[{\"Name\":\""
                    + name + "\"}]}");
            state.tokenAccessors.add(token.path("AccessorID").asText());
            state.readOnlyToken = token.path("SecretID").asText();
        }
    }

    private JsonNode ok(String method, String path, String body) {
        Answer answer = okRaw(method, path, body);
        try {
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException("Set-up request " + method + " " + path + " answered no JSON: " + answer.text());
        }
    }

    private Answer okRaw(String method, String path, String body) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nContent-Type: application/json");
        if (state.managementToken != null) {
            head.append("\r\nX-Consul-Token: ").append(state.managementToken);
        }
        Answer answer = http.send(method, head.toString(), body.getBytes(StandardCharsets.UTF_8), true, false);
        if (answer.status() / 100 != 2) {
            fail("Set-up request " + method + " " + path + " " + body + " answered " + answer.status() + ": " + answer.text()
                    + (answer.problem() == null ? "" : " (" + answer.problem() + ")"));
        }
        return answer;
    }
}
