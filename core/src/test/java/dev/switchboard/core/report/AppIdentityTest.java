package dev.switchboard.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppIdentityTest {
    @Test
    void anAppIsItsRefererWithoutQueryFragmentOrTrailingSlashInLowercase() {
        assertThat(app("HTTPS://App.Example.test:8443/Chat/?tab=1#top", null))
                .contains("https://app.example.test:8443/Chat");
        assertThat(app("https://user:secret@app.example/", "T")).contains("https://app.example");
        assertThat(app("https://app.example", null)).isEqualTo(app("https://app.example///", null));
    }

    @Test
    void aRefererThatIsNoUrlIsTheAppAsItIs() {
        assertThat(app("  my-cli-tool ", null)).contains("my-cli-tool");
        assertThat(app("not a url", null)).contains("not a url");
    }

    @Test
    void thereIsNoAppWithoutAReferer() {
        assertThat(AppIdentity.of(Optional.empty(), Optional.of("A title"))).isEmpty();
        assertThat(app("   ", "A title")).isEmpty();
    }

    @Test
    void aLocalRefererMakesAnAppOnlyWithATitle() {
        for (String local : List.of(
                "http://localhost:3000", "http://app.localhost", "http://127.0.0.1:8080/x", "http://[::1]:5173")) {
            assertThat(app(local, null)).as(local).isEmpty();
            assertThat(app(local, " ")).as(local).isEmpty();
            assertThat(app(local, "Dev build")).as(local).isPresent();
        }
        assertThat(app("http://localhost:3000/", "Dev")).contains("http://localhost:3000");
    }

    @Test
    void categoriesMergeInOrderWithoutRepeatsUpToTen() {
        assertThat(AppIdentity.mergeCategories(List.of("a", "b"), List.of("b", "c")))
                .containsExactly("a", "b", "c");
        List<String> nine = List.of("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
        assertThat(AppIdentity.mergeCategories(nine, List.of("x", "y")))
                .hasSize(AppIdentity.MAX_CATEGORIES)
                .endsWith("x");
    }

    private static Optional<String> app(String referer, String title) {
        return AppIdentity.of(Optional.of(referer), Optional.ofNullable(title));
    }
}
