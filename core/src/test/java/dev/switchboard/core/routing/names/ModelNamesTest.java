package dev.switchboard.core.routing.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.error.GatewayException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Model aliases: whole-id matches, capture groups, first match wins, bounded matching. */
class ModelNamesTest {
    @Test
    void theFirstAliasWhosePatternMatchesTheWholeIdWins() {
        ModelNames names = new ModelNames(
                List.of(
                        ModelAlias.compile("gpt-4o", "openai/gpt-4o-mini"),
                        ModelAlias.compile("gpt-(.*)", "openai/gpt-$1"),
                        ModelAlias.compile(".*", "acme/catch-all")),
                Optional.empty());

        assertThat(names.alias("gpt-4o", "model")).isEqualTo("openai/gpt-4o-mini");
        assertThat(names.alias("gpt-4.1", "model")).isEqualTo("openai/gpt-4.1");
        assertThat(names.alias("claude", "model")).isEqualTo("acme/catch-all");
    }

    @Test
    void aPatternMatchingOnlyPartOfTheIdDoesNotApply() {
        ModelNames names = new ModelNames(List.of(ModelAlias.compile("gpt", "openai/gpt-4o")), Optional.empty());

        assertThat(names.alias("gpt-4o", "model")).isEqualTo("gpt-4o");
        assertThat(names.alias("my-gpt", "model")).isEqualTo("my-gpt");
        assertThat(names.alias("gpt", "model")).isEqualTo("openai/gpt-4o");
    }

    @Test
    void replacementsTakeNumberedAndNamedGroupsAndEscapedDollars() {
        ModelAlias numbered = ModelAlias.compile("(\\w+)-(\\w+)", "$2/$1");
        ModelAlias named = ModelAlias.compile("(?<family>[a-z]+)-latest", "~acme/${family}-latest");
        ModelAlias escaped = ModelAlias.compile("cash", "acme/\\$1");
        ModelAlias twoDigits = ModelAlias.compile("(a)", "x/$12");
        ModelAlias optional = ModelAlias.compile("acme/chat(-mini)?", "acme/chat$1");

        assertThat(numbered.apply("chat-acme")).contains("acme/chat");
        assertThat(named.apply("llama-latest")).contains("~acme/llama-latest");
        assertThat(escaped.apply("cash")).contains("acme/$1");
        assertThat(twoDigits.apply("a"))
                .as("one group: $12 is group 1 then '2'")
                .contains("x/a2");
        assertThat(optional.apply("acme/chat"))
                .as("a group that did not match adds nothing")
                .contains("acme/chat");
    }

    @Test
    void refusesPatternsAndReplacementsThatCouldNotWork() {
        assertThat(invalid("gpt-(", "x").field()).isEqualTo("pattern");
        assertThat(invalid("gpt-(", "x")).hasMessageContaining("not a valid regular expression");
        assertThat(invalid("gpt-(.*)", "openai/$2"))
                .hasMessageContaining("group $2")
                .hasMessageContaining("1 group");
        assertThat(invalid("gpt-(.*)", "openai/${name}").field()).isEqualTo("model");
        assertThat(invalid("gpt", "openai/gpt$")).hasMessageContaining("\\$");
        assertThat(invalid("gpt", "openai/gpt\\")).hasMessageContaining("backslash");
        assertThat(invalid("gpt", "openai/gpt?temperature=1")).hasMessageContaining("'?'");
        assertThat(invalid("gpt", " ").field()).isEqualTo("model");
        assertThat(invalid("", "x").field()).isEqualTo("pattern");
        assertThat(invalid("a".repeat(ModelAlias.MAX_TEXT + 1), "x")).hasMessageContaining("1 to 1000");
    }

    @Test
    void aPatternThatBacktracksWithoutEndFailsTheRequestWith400() {
        ModelNames names = new ModelNames(List.of(ModelAlias.compile("(.*a){12}b", "x/y")), Optional.empty());

        GatewayException e =
                catchThrowableOfType(GatewayException.class, () -> names.alias("a".repeat(30) + "c", "models[1]"));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("(.*a){12}b").contains("within its bounds");
        assertThat(e.metadata()).containsEntry("param", "models[1]");
    }

    @Test
    void aliasCountIsBounded() {
        List<ModelAlias> tooMany = Collections.nCopies(ModelNames.MAX_ALIASES + 1, ModelAlias.compile("a", "b"));

        assertThat(catchThrowableOfType(
                        IllegalArgumentException.class, () -> new ModelNames(tooMany, Optional.empty())))
                .isNotNull();
    }

    @Test
    void namesWithoutAliasesOrForcedModelUseIdsAsSent() {
        assertThat(ModelNames.NONE.identity()).isTrue();
        assertThat(new ModelNames(List.of(), Optional.of("acme/x")).identity()).isFalse();
        assertThat(ModelNames.NONE.alias("acme/x", "model")).isEqualTo("acme/x");
    }

    private static ModelAlias.Invalid invalid(String pattern, String model) {
        ModelAlias.Invalid e = catchThrowableOfType(ModelAlias.Invalid.class, () -> ModelAlias.compile(pattern, model));
        assertThat(e).as("refused: " + pattern + " -> " + model).isNotNull();
        return e;
    }
}
