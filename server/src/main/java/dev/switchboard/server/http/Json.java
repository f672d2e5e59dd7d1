package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;

/**
 * The process's one JSON mapper.
 *
 * <p>Numbers with fractions are read as {@code BigDecimal} with their scale kept ({@code 40.0} stays
 * {@code 40.0}), so that what a client or provider sent is forwarded with its exact value. They are
 * written in {@code BigDecimal}'s own notation, which uses an exponent only for very small or very
 * large values: plain notation cannot express every number a client may send ({@code 1e10000} would
 * need ten thousand digits, and Jackson refuses to write it), and a number we relay must never turn a
 * request into a failure. Amounts of money are the exception: {@link #putMoney} writes them in plain
 * notation ({@code 0.00000034}, never {@code 3.4E-7}), as OpenRouter's clients expect.
 */
public final class Json {
    private Json() {}

    public static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNestingDepth(200)
                        .build());
        // Jackson's default keeps its read and write buffers in a thread-local, which on virtual threads
        // (one per request) means new buffers for every request, held for as long as the request lives:
        // kilobytes of garbage per request and of heap per open stream. A shared, bounded pool reuses them.
        mapper.getFactory().setRecyclerPool(JsonRecyclerPools.sharedBoundedPool());
        return mapper;
    }

    /** Puts an amount of money, exactly and in plain notation. */
    public static void putMoney(ObjectNode node, String field, BigDecimal amount) {
        node.putRawValue(field, new RawValue(amount.toPlainString()));
    }

    /** Serialises a value that cannot fail to serialise (trees, maps of plain values). */
    public static byte[] bytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise a response", e);
        }
    }

    public static JsonNode tree(ObjectMapper mapper, Object value) {
        return mapper.valueToTree(value);
    }
}
