package io.sessiond;

import java.util.Optional;

/**
 * The rule for text that reaches PostgreSQL: it must be storable exactly as sent. {@code text} and
 * {@code jsonb} cannot hold U+0000, and a lone surrogate has no UTF-8 form (the driver would store '?'
 * in its place, jsonb refuses its escape), so either is refused where the text enters, naming where it was.
 */
public final class StoredText {

    private StoredText() {
    }

    /** What makes {@code text} unstorable, as the end of a sentence ("must not contain ..."); empty when storable. */
    public static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return Optional.of("must not contain the character U+0000");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("must not contain a lone surrogate (U+%04X)", (int) c));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code text} unchanged, or a refusal reading "{@code what} must not contain ...", where {@code what}
     * names the field or parameter in the words of the request's dialect. Null passes.
     */
    public static String require(String what, String text) {
        if (text != null) {
            problem(text).ifPresent(problem -> {
                throw RejectedException.invalid(what + " " + problem);
            });
        }
        return text;
    }
}
