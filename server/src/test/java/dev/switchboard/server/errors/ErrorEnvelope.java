package dev.switchboard.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.GatewayHarness;
import java.net.http.HttpResponse;

/**
 * Asserts OpenRouter's error envelope, {@code {"error":{"code":<status>,"message":"…","metadata":{…}}}},
 * on a whole response or on an in-band stream chunk, and hands back the {@code error} object for the
 * assertions that are particular to each path.
 */
final class ErrorEnvelope {
    private ErrorEnvelope() {}

    /** The response has {@code status}, a JSON body, and an envelope whose code is that status. */
    static JsonNode expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .as("Content-Type of %s", response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return expect(GatewayHarness.json(response), status);
    }

    /** The body (or an in-band chunk) carries an {@code error} object with {@code code == status}. */
    static JsonNode expect(JsonNode body, int status) {
        JsonNode error = body.path("error");
        assertThat(error.isObject()).as("error object in %s", body).isTrue();
        assertThat(error.path("code").isInt())
                .as("numeric error.code in %s", body)
                .isTrue();
        assertThat(error.path("code").asInt()).isEqualTo(status);
        assertThat(error.path("message").asText())
                .as("error.message in %s", body)
                .isNotBlank();
        if (error.has("metadata")) {
            assertThat(error.path("metadata").isObject())
                    .as("error.metadata in %s", body)
                    .isTrue();
        }
        return error;
    }
}
