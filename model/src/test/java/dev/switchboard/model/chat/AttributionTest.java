package dev.switchboard.model.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttributionTest {
    @Test
    void cutsALongTitleAndRefererToTheirBounds() {
        Attribution attribution = Attribution.of("https://app.example/" + "r".repeat(5000), "T".repeat(8000), null);

        assertThat(attribution.httpReferer().orElseThrow())
                .hasSize(Attribution.MAX_REFERER)
                .startsWith("https://app.example/rrr");
        assertThat(attribution.appTitle().orElseThrow()).hasSize(Attribution.MAX_TITLE);
    }

    @Test
    void cutsBetweenCodePointsNeverInsideOne() {
        String title = "😀".repeat(Attribution.MAX_TITLE + 10);

        String kept = Attribution.of(null, title, null).appTitle().orElseThrow();

        assertThat(kept.codePointCount(0, kept.length())).isEqualTo(Attribution.MAX_TITLE);
        assertThat(kept).isEqualTo("😀".repeat(Attribution.MAX_TITLE));
    }

    @Test
    void keepsShortValuesAsTheyAre() {
        assertThat(Attribution.of("https://a.example", "My App", "user-1"))
                .isEqualTo(new Attribution(
                        java.util.Optional.of("https://a.example"),
                        java.util.Optional.of("My App"),
                        java.util.Optional.of("user-1")));
    }

    @Test
    void refusesAUserOverTheBound() {
        assertThatThrownBy(() -> Attribution.of(null, null, "u".repeat(Attribution.MAX_USER + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTheFirstTwoWellFormedCategoriesOfTheHeader() {
        assertThat(Attribution.categories(" CLI-Agent , ide-extension,cloud-agent"))
                .containsExactly("cli-agent", "ide-extension");
        assertThat(Attribution.categories("bad category,,x_y,-lead,trail-,a--b,"
                        + "c".repeat(Attribution.MAX_CATEGORY_LENGTH + 1) + ",roleplay,roleplay,game"))
                .containsExactly("roleplay", "game");
        assertThat(Attribution.categories(null)).isEmpty();
        assertThat(Attribution.categories("")).isEmpty();
    }

    @Test
    void carriesItsCategoriesThroughTheUserAndTheSession() {
        Attribution attribution = Attribution.of("https://a.example", null, null)
                .withCategories("game")
                .withUser(java.util.Optional.of("u"))
                .withSession(java.util.Optional.of("s"));

        assertThat(attribution.categories()).containsExactly("game");
    }

    @Test
    void refusesCategoriesOverTheBounds() {
        assertThatThrownBy(() -> new Attribution(
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.List.of("a", "b", "c")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
