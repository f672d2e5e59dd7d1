package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A whole SSE response as lines, with helpers to pick out events. */
public record StreamedResponse(int status, Map<String, List<String>> headers, List<String> lines) {
    /** The JSON payloads of {@code data:} lines, {@code [DONE]} excluded. */
    public List<JsonNode> chunks() {
        return lines.stream()
                .filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]"))
                .map(l -> GatewayHarness.json(l.substring(6)))
                .toList();
    }

    public List<String> comments() {
        return lines.stream().filter(l -> l.startsWith(":")).toList();
    }

    public List<String> dataLines() {
        return lines.stream().filter(l -> l.startsWith("data: ")).toList();
    }

    public String header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().getFirst())
                .findFirst()
                .orElse(null);
    }
}
