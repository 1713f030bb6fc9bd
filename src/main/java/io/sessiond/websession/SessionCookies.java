package io.sessiond.websession;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.sessiond.web.WebSessionConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code Set-Cookie} headers of the store: the attributes come from configuration (checked at start-up),
 * the value is a signed id. The cookie's lifetime in the browser ({@code sessiond.web.cookie-expires}) is
 * independent of the session's idle timeout, as in Beaker.
 */
@Startup(WebSessionConfig.CHECKED_AT_STARTUP)
@ApplicationScoped
public class SessionCookies {

    /** IMF-fixdate, the HTTP date format, with a zero-padded day (RFC_1123_DATE_TIME does not pad it). */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** Beaker's "never": the largest 32-bit timestamp. */
    private static final Instant NEVER = Instant.ofEpochSecond(0x7FFFFFFFL);
    private static final List<String> SAME_SITE = List.of("Strict", "Lax", "None");

    private final String name;
    private final String attributes;
    private final Lifetime lifetime;

    public SessionCookies(WebSessionConfig config) {
        this.name = config.cookieName();
        this.lifetime = Lifetime.parse(config.cookieExpires());
        String sameSite = SAME_SITE.stream().filter(value -> value.equalsIgnoreCase(config.samesite())).findFirst()
                .orElseThrow(() -> new ConfigurationException("sessiond.web.samesite must be Strict, Lax or None, not '"
                        + config.samesite() + "'"));
        StringBuilder fixed = new StringBuilder("; Path=").append(config.path());
        config.domain().ifPresent(domain -> fixed.append("; Domain=").append(domain));
        if (config.secure()) {
            fixed.append("; Secure");
        }
        if (config.httponly()) {
            fixed.append("; HttpOnly");
        }
        fixed.append("; SameSite=").append(sameSite);
        this.attributes = fixed.toString();
    }

    /** The cookie's name, to find it among a request's cookies. */
    public String name() {
        return name;
    }

    /** Sets the cookie to {@code value} with the configured attributes and lifetime. */
    public String issue(String value) {
        StringBuilder header = new StringBuilder(name).append('=').append(value);
        lifetime.expires(Instant.now()).ifPresent(at -> header.append("; Expires=").append(HTTP_DATE.format(at)));
        lifetime.maxAgeSeconds.ifPresent(seconds -> header.append("; Max-Age=").append(seconds));
        return header.append(attributes).toString();
    }

    /** Tells the browser to drop the cookie now (an empty value, expired, Max-Age 0). */
    public String expire() {
        return name + "=; Expires=" + HTTP_DATE.format(Instant.EPOCH) + "; Max-Age=0" + attributes;
    }

    /** One of {@code session}, {@code never}, seconds or an instant; see {@link WebSessionConfig#cookieExpires()}. */
    private record Lifetime(Optional<Instant> at, OptionalLong maxAgeSeconds) {

        static Lifetime parse(String configured) {
            String value = configured.strip();
            if (value.equalsIgnoreCase("session")) {
                return new Lifetime(Optional.empty(), OptionalLong.empty());
            }
            if (value.equalsIgnoreCase("never")) {
                return new Lifetime(Optional.of(NEVER), OptionalLong.empty());
            }
            if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
                return new Lifetime(Optional.empty(), OptionalLong.of(Long.parseLong(value)));
            }
            try {
                return new Lifetime(Optional.of(Instant.parse(value)), OptionalLong.empty());
            } catch (DateTimeParseException e) {
                throw new ConfigurationException("sessiond.web.cookie-expires must be session, never, a number of "
                        + "seconds or an RFC 3339 instant, not '" + configured + "'");
            }
        }

        /** Expires for a cookie issued at {@code now}; with seconds, Max-Age says the same for newer browsers. */
        Optional<Instant> expires(Instant now) {
            return maxAgeSeconds.isPresent() ? Optional.of(now.plusSeconds(maxAgeSeconds.getAsLong())) : at;
        }
    }
}
