package dev.switchboard.core.routing.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.error.GatewayException;
import org.junit.jupiter.api.Test;

/** URI model parameters: {@code author/model?name=value&...}, split and decoded, malformed ones refused. */
class ModelQueryTest {
    @Test
    void splitsTheParametersOffTheIdInOrder() {
        ModelQuery query = ModelQuery.parse("acme/chat:nitro?temperature=0.7&top_p=0.9", "model");

        assertThat(query.id()).isEqualTo("acme/chat:nitro");
        assertThat(query.parameters())
                .containsExactly(
                        new ModelQuery.Parameter("temperature", "0.7"), new ModelQuery.Parameter("top_p", "0.9"));
    }

    @Test
    void anIdWithoutQueryHasNoParameters() {
        assertThat(ModelQuery.hasQuery("acme/chat")).isFalse();
        assertThat(ModelQuery.parse("acme/chat", "model").parameters()).isEmpty();
    }

    @Test
    void namesAndValuesArePercentDecoded() {
        ModelQuery query = ModelQuery.parse("a/b?verbosity=very%20low&reasoning_effort=x+y", "model");

        assertThat(query.parameters()).extracting(ModelQuery.Parameter::value).containsExactly("very low", "x y");
    }

    @Test
    void refusesMalformedQueriesNamingTheField() {
        assertThat(refused("a/b?")).hasMessageContaining("nothing follows '?'");
        assertThat(refused("a/b?temperature")).hasMessageContaining("'temperature' is not name=value");
        assertThat(refused("a/b?temperature=")).hasMessageContaining("is not name=value");
        assertThat(refused("a/b?=1")).hasMessageContaining("is not name=value");
        assertThat(refused("a/b?top_p=1&&seed=2")).hasMessageContaining("'' is not name=value");
        assertThat(refused("a/b?top_p=1&top_p=2")).hasMessageContaining("'top_p' is given twice");
        assertThat(refused("a/b?top_p=%zz")).hasMessageContaining("percent-encoded");
        assertThat(refused("a/b?" + "x=1&".repeat(16) + "y=2")).hasMessageContaining("at most 16");
        assertThat(refused("a/b?v=" + "x".repeat(ModelQuery.MAX_QUERY))).hasMessageContaining("1024");
        GatewayException e = refused("a/b?seed");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.metadata()).containsEntry("param", "model");
        assertThat(e.getMessage()).startsWith("Malformed model parameters in `model`");
    }

    private static GatewayException refused(String text) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> ModelQuery.parse(text, "model"));
        assertThat(e).as("refused: " + text).isNotNull();
        return e;
    }
}
