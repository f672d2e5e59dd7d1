package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bound on the upstream body that is passed to the client as {@code metadata.raw}. */
class UpstreamHttpTest {
    @Test
    void passesAShortBodyOnWhole() {
        assertThat(UpstreamHttp.rawExcerpt("{this is not json")).contains("{this is not json");
    }

    @Test
    void hasNoRawBodyForAnEmptyBody() {
        assertThat(UpstreamHttp.rawExcerpt("")).isEmpty();
        assertThat(UpstreamHttp.rawExcerpt(new byte[8], 0)).isEmpty();
    }

    @Test
    void keepsTheFirst4096CharactersOfALongBody() {
        String body = "<html>" + "x".repeat(100_000);

        assertThat(UpstreamHttp.rawExcerpt(body)).hasValueSatisfying(raw -> {
            assertThat(raw).hasSize(UpstreamHttp.MAX_RAW_CHARS).isEqualTo(body.substring(0, 4096));
        });
    }

    @Test
    void neverSplitsASurrogatePairAtTheLimit() {
        String body = "a".repeat(UpstreamHttp.MAX_RAW_CHARS - 1) + "\uD83C\uDF0D" + "tail";

        assertThat(UpstreamHttp.rawExcerpt(body)).contains("a".repeat(UpstreamHttp.MAX_RAW_CHARS - 1));
    }

    @Test
    void decodesUtf8BytesAndBoundsThemTheSameWay() {
        String body = "\u00e9".repeat(10_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        assertThat(UpstreamHttp.rawExcerpt(bytes, bytes.length)).contains("\u00e9".repeat(UpstreamHttp.MAX_RAW_CHARS));
        assertThat(UpstreamHttp.rawExcerpt(bytes, 4)).contains("\u00e9\u00e9");
    }
}
