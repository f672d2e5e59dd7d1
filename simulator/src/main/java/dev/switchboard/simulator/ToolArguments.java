package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Invents deterministic arguments for a function call that fit the top level of its JSON schema:
 * each declared property gets a value of its declared type (the first {@code enum} value when
 * there is one). Nested schemas are not explored; objects and arrays come out empty.
 */
final class ToolArguments {

    /** OpenAI streams arguments a few characters at a time; this is close enough. */
    static final int FRAGMENT_LENGTH = 8;

    private static final int MAX_PROPERTIES = 16;

    private ToolArguments() {}

    static String invent(JsonNode parameters, SplittableRandom random, WordList words) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> property :
                parameters.path("properties").properties()) {
            if (arguments.size() == MAX_PROPERTIES) {
                break;
            }
            arguments.set(property.getKey(), value(property.getValue(), random, words));
        }
        return arguments.toString();
    }

    static List<String> fragments(String arguments) {
        List<String> fragments = new ArrayList<>(arguments.length() / FRAGMENT_LENGTH + 1);
        int start = 0;
        while (start < arguments.length()) {
            int end = Math.min(arguments.length(), start + FRAGMENT_LENGTH);
            if (end < arguments.length() && Character.isLowSurrogate(arguments.charAt(end))) {
                end++; // never split a surrogate pair
            }
            fragments.add(arguments.substring(start, end));
            start = end;
        }
        return fragments;
    }

    private static JsonNode value(JsonNode schema, SplittableRandom random, WordList words) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0);
        }
        return switch (schema.path("type").asText("string")) {
            case "integer" -> nodes.numberNode(random.nextInt(100));
            case "number" -> nodes.numberNode(random.nextInt(10_000) / 100.0);
            case "boolean" -> nodes.booleanNode(random.nextBoolean());
            case "array" -> nodes.arrayNode();
            case "object" -> nodes.objectNode();
            case "null" -> nodes.nullNode();
            default -> nodes.textNode("simulated " + words.word(random.nextInt(words.size())));
        };
    }
}
