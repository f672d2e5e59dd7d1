package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    private final ObjectMapper json = Json.mapper();

    @Test
    void writesMoneyExactlyInPlainNotation() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        Json.putMoney(node, "cost", new BigDecimal("3.4E-7"));
        Json.putMoney(node, "total", new BigDecimal("12.50"));

        assertThat(new String(Json.bytes(json, node), StandardCharsets.UTF_8))
                .isEqualTo("{\"cost\":0.00000034,\"total\":12.50}");
    }

    @Test
    void relaysNumbersOfAnyMagnitudeWithTheirExactValue() throws IOException {
        JsonNode read = json.readTree("{\"huge\":1e10000,\"tiny\":-1e-10000,\"plain\":40.0,\"int\":7}");

        String written = new String(Json.bytes(json, read), StandardCharsets.UTF_8);

        JsonNode again = json.readTree(written);
        assertThat(again.path("huge").decimalValue()).isEqualByComparingTo(new BigDecimal("1e10000"));
        assertThat(again.path("tiny").decimalValue()).isEqualByComparingTo(new BigDecimal("-1e-10000"));
        assertThat(written).contains("\"plain\":40.0").contains("\"int\":7");
    }
}
