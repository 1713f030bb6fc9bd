package io.sessiond.jsonapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How resources are written for one request: links on the public base URL, reverse DNS, times. */
final class Rendering {

    static final String IDLE = "idle";
    static final String SECONDS_ALIVE = "seconds_alive";

    /**
     * RFC 7231's IMF-fixdate in GMT with a zero-padded day, as MaxScale writes {@code connected}
     * ({@code RFC_1123_DATE_TIME} would not pad the day).
     */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final String baseUrl;
    private final boolean rdns;
    private final RemoteNames remoteNames;

    Rendering(String baseUrl, boolean rdns, RemoteNames remoteNames) {
        this.baseUrl = baseUrl;
        this.rdns = rdns;
        this.remoteNames = remoteNames;
    }

    /** {@code <base>/v1/<segments>/}: links always carry {@code /v1/} and end with {@code /} (MaxScale 6.x). */
    String link(String... segments) {
        return baseUrl + "/v1/" + Arrays.stream(segments)
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/")) + "/";
    }

    /** The client address, or its host name with {@code rdns=true}. */
    String remote(String address) {
        return rdns ? remoteNames.nameOf(address) : address;
    }

    static String date(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** Seconds with 0.1 s resolution (cut, not rounded), as MaxScale's {@code idle}. */
    static double tenths(Duration duration) {
        return Math.max(0, duration.toMillis() / 100) / 10.0;
    }

    /** Seconds with millisecond precision. */
    static double seconds(Duration duration) {
        return Math.max(0, duration.toMillis()) / 1000.0;
    }
}
