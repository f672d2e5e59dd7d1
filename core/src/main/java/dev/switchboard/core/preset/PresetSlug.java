package dev.switchboard.core.preset;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.util.Map;
import java.util.regex.Pattern;

/** What a preset's slug may be: 1 to {@value #MAX_LENGTH} lowercase ASCII letters, digits and hyphens. */
public final class PresetSlug {
    public static final int MAX_LENGTH = 64;
    private static final Pattern SLUG = Pattern.compile("[a-z0-9-]{1," + MAX_LENGTH + "}");

    private PresetSlug() {}

    public static boolean valid(String slug) {
        return SLUG.matcher(slug).matches();
    }

    /**
     * The slug, checked.
     *
     * @param param the request field or path part it came from, for {@code metadata.param}
     * @throws GatewayException 400 when it is not a valid slug
     */
    public static String check(String slug, String param) {
        if (!valid(slug)) {
            throw new GatewayException(
                    ErrorType.INVALID_REQUEST,
                    "A preset slug is 1 to " + MAX_LENGTH + " lowercase letters, digits and hyphens",
                    Map.of("param", param));
        }
        return slug;
    }
}
