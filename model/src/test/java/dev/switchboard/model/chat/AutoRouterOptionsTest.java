package dev.switchboard.model.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoRouterOptionsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            anthropic/*            | anthropic/claude-opus-5     | true
            anthropic/*            | anthropic                   | false
            anthropic/*            | openai/gpt-6                | false
            *                      | anything/at-all             | true
            *-mini                 | openai/gpt-6-mini           | true
            *-mini                 | openai/gpt-6-mini-high      | false
            openai/gpt-6*-sol      | openai/gpt-6.2-sol          | true
            openai/gpt-6*-sol      | openai/gpt-6.2-luna         | false
            a*b*c                  | aXbYbZc                     | true
            a*b*c                  | aXbYc-d                     | false
            openai/gpt-6           | openai/gpt-6                | true
            openai/gpt-6           | openai/gpt-6.2              | false
            Anthropic/*            | anthropic/claude-opus-5     | false
            """)
    void aStarStandsForAnyRunOfCharacters(String pattern, String id, boolean matches) {
        assertThat(AutoRouterOptions.matches(pattern, id)).isEqualTo(matches);
    }

    @Test
    void excludedPatternsWinOverAllowedOnes() {
        AutoRouterOptions options = new AutoRouterOptions(
                List.of("anthropic/*", "openai/*"), List.of("*-mini"), Optional.empty(), Optional.empty());

        assertThat(options.allows("anthropic/claude-opus-5")).isTrue();
        assertThat(options.allows("openai/gpt-6-mini")).isFalse();
        assertThat(options.allows("google/gemini-3.5-flash")).isFalse();
        assertThat(AutoRouterOptions.DEFAULTS.allows("google/gemini-3.5-flash")).isTrue();
    }

    @Test
    void tiersHaveTheirWireNames() {
        assertThat(AutoRouterOptions.CostTier.parse("xhigh")).contains(AutoRouterOptions.CostTier.XHIGH);
        assertThat(AutoRouterOptions.CostTier.parse("XHIGH")).isEmpty();
        assertThat(AutoRouterOptions.CostTier.MAX.wireName()).isEqualTo("max");
    }
}
