package io.sessiond.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The semaphore record of Consul's recipe: as Go's api.Semaphore reads, prunes and writes it. */
class SemaphoreStateTest {

    /** Three contenders' sessions. */
    private static final String A = "6d1e2a5c-0000-4000-8000-00000000000a", B = "6d1e2a5c-0000-4000-8000-00000000000b",
            C = "6d1e2a5c-0000-4000-8000-00000000000c";

    @Test
    void theKeysAreGosPathJoinOfThePrefix() {
        assertEquals("batch/.lock", SemaphoreState.lockKey("batch"));
        assertEquals("batch/" + A, SemaphoreState.contenderKey("batch", A));
        assertEquals(".lock", SemaphoreState.lockKey(""));
        assertEquals("16210313421097356768", SemaphoreState.FLAGS, "Go's SemaphoreFlagValue, 0xe0f69a2baa414de0");
    }

    @Test
    void aMissingRecordIsAnEmptyOneWithTheLocalLimit() {
        SemaphoreState state = SemaphoreState.decode(null, 3);
        assertEquals(3, state.limit());
        assertTrue(state.holders().isEmpty());
        assertFalse(state.isFull());
    }

    @Test
    void theRecordIsWrittenAsGosEncodingJsonWritesIt() {
        SemaphoreState state = SemaphoreState.decode(null, 2).with(B).with(A);
        assertEquals("{\"Limit\":2,\"Holders\":{\"" + A + "\":true,\"" + B + "\":true}}", state.encode());
        assertTrue(state.isFull());
        assertEquals(state, SemaphoreState.decode(lock(state.encode(), SemaphoreState.FLAGS), 2));
    }

    @Test
    void holdersWithoutALiveKeyUnderThePrefixArePruned() {
        SemaphoreState state = new SemaphoreState(2, new TreeMap<>(Map.of(A, true, B, true)));
        // A's contender key is held by A; B's session is gone, so its key was deleted (or released).
        List<KvPair> pairs = List.of(lock(state.encode(), SemaphoreState.FLAGS), contender(A, A), contender(B, ""),
                contender(C, C));
        SemaphoreState pruned = state.pruned(pairs);
        assertEquals(Map.of(A, true), pruned.holders());
        assertFalse(pruned.isFull(), "B's slot is free for C");
        assertTrue(pruned.with(C).holds(C));
        assertFalse(pruned.with(C).without(C).holds(C));
    }

    @Test
    void aRecordForAnotherLimitOrNotASemaphoresIsRefused() {
        CliFailure limit = assertThrows(CliFailure.class,
                () -> SemaphoreState.decode(lock("{\"Limit\":3,\"Holders\":{}}", SemaphoreState.FLAGS), 2));
        assertEquals("semaphore limit conflict (lock: 3, local: 2)", limit.getMessage());
        CliFailure flags = assertThrows(CliFailure.class, () -> SemaphoreState.decode(lock("{}", KeyLock.FLAGS), 2));
        assertTrue(flags.getMessage().startsWith("Existing key does not match semaphore use"), flags.getMessage());
    }

    @Test
    void findsTheLockAmongTheContenders() {
        KvPair lock = lock("{\"Limit\":2,\"Holders\":null}", SemaphoreState.FLAGS);
        assertEquals(lock, SemaphoreState.findLock(List.of(contender(A, A), lock), "batch"));
        assertEquals(null, SemaphoreState.findLock(List.of(contender(A, A)), "batch"));
        assertTrue(SemaphoreState.decode(lock, 2).holders().isEmpty(), "Go writes a nil map as null");
    }

    private static KvPair lock(String record, String flags) {
        return new KvPair("batch/.lock", "", flags, record.getBytes(StandardCharsets.UTF_8), 0, 10, 12);
    }

    private static KvPair contender(String owner, String session) {
        return new KvPair("batch/" + owner, session, SemaphoreState.FLAGS, new byte[0], 1, 11, 11);
    }
}
