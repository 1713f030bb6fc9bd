package io.sessiond.testsupport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking queries sent at once by a test: waiting until the server parked them, then for their answers. */
public final class ParkedQueries {

    private static final Pattern PARKED = Pattern.compile("(?m)^sessiond_blocking_parked(?:\\{[^}]*})? (\\S+)$");

    private ParkedQueries() {
    }

    /** Until {@code waiters} queries wait, as {@code parked} counts them: the server has read each once and parked it. */
    public static void awaitParked(IntSupplier parked, int waiters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (parked.getAsInt() < waiters && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(parked.getAsInt() >= waiters, parked.getAsInt() + " parked waiters");
    }

    /**
     * How many blocking queries the server has parked, as its metrics count them ({@code /q/metrics}): seen
     * from outside, so that the tests counting them run against the packaged artifact too.
     */
    public static int parkedOnServer() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher parked = PARKED.matcher(metrics);
        assertTrue(parked.find(), "no sessiond_blocking_parked in the metrics");
        return (int) Double.parseDouble(parked.group(1));
    }

    /** The answers of all {@code waiters}, once every one has come. */
    public static <T> List<T> answers(List<CompletableFuture<T>> waiters) throws Exception {
        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return waiters.stream().map(CompletableFuture::join).toList();
    }
}
