package io.sessiond.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The web session store, everything under {@code sessiond.web.*}. The names follow Beaker's options
 * ({@code key} is {@code cookie-name} here) so that an application moving from Beaker finds its settings.
 */
@ConfigMapping(prefix = "sessiond.web")
public interface WebSessionConfig {

    /**
     * The start-up priority of the beans that check this configuration: before anything else starts (this
     * instance's node registers at priority 1), so a bad setting stops the instance before it has done anything.
     */
    int CHECKED_AT_STARTUP = 0;

    /**
     * The store's name, which {@code web_session} and {@code web_session_prefix} ACL rules match. There is one
     * store per deployment, so it has the name a default store has.
     */
    String STORE_NAME = "default";

    /** The cookie's name. */
    @WithDefault("sessiond.id")
    String cookieName();

    /** Idle timeout: a session neither saved nor touched for this long is gone. {@code 0s}: never. */
    @WithDefault("30m")
    Duration timeout();

    /**
     * The browser lifetime of the cookie (never the session's): {@code session} (no Expires, gone when the
     * browser closes), {@code never} (Expires in 2038, as Beaker), a number of seconds, or an RFC 3339 instant.
     */
    @WithDefault("session")
    String cookieExpires();

    /** The cookie's Domain; without it the cookie is host-only. */
    Optional<String> domain();

    @WithDefault("/")
    String path();

    @WithDefault("false")
    boolean secure();

    /** On by default (Beaker's default is off): scripts in the page have no business reading the id. */
    @WithDefault("true")
    boolean httponly();

    /** {@code Strict}, {@code Lax} or {@code None}. */
    @WithDefault("Lax")
    String samesite();

    /**
     * The secrets cookies are signed with, newest first: new cookies are signed with the first, and a cookie
     * signed with any of them is accepted, so that a secret can be rotated without logging everyone out.
     * Required outside dev and test.
     */
    Optional<List<String>> signingSecrets();

    /** {@code hmac-sha256}, or {@code hmac-sha1} for cookies that Beaker's SignedCookie also accepts. */
    @WithDefault("hmac-sha256")
    CookieSigner.Algorithm signature();

    /** Base64 of a 16, 24 or 32-byte AES key; when set, session data is stored encrypted (AES-GCM). */
    Optional<String> encryptionKey();

    /** The largest session data (its JSON, UTF-8) a save may store; larger is refused with 413. */
    @WithDefault("64K")
    MemorySize maxDataSize();

    /** The longest lease a lock request may ask for. */
    @WithDefault("5m")
    Duration lockTtlMax();
}
