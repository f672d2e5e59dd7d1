package dev.switchboard.server.chat;

import dev.switchboard.core.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The provider feature flags a client asks for in OpenRouter's {@code x-anthropic-beta} header: a
 * comma-separated list, passed on to Anthropic as {@code anthropic-beta}. Bounded: at most {@value
 * #MAX_FLAGS} flags of at most 64 letters, digits, {@code .}, {@code _} or {@code -} each; anything else is a
 * 400, since it could only be refused upstream. Stateless.
 */
final class BetaFeatures {
    static final String HEADER = "x-anthropic-beta";
    static final int MAX_FLAGS = 16;
    private static final Pattern FLAG = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private BetaFeatures() {}

    static List<String> parse(String header) {
        List<String> flags = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            String flag = part.strip();
            if (flag.isEmpty()) {
                continue;
            }
            if (!FLAG.matcher(flag).matches() || flags.size() == MAX_FLAGS) {
                throw GatewayException.invalidRequest(
                        HEADER + " must be at most " + MAX_FLAGS + " comma-separated feature names");
            }
            flags.add(flag);
        }
        return flags;
    }
}
