package dev.switchboard.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalRequestTest {
    @Test
    void keepsOnlyUnreservedCharactersUnencoded() {
        assertThat(UriEncoding.encode("a-Z_0.~")).isEqualTo("a-Z_0.~");
        assertThat(UriEncoding.encode("a b+c*d/e:f%")).isEqualTo("a%20b%2Bc%2Ad%2Fe%3Af%25");
    }

    @Test
    void encodesTheUtf8BytesOfEveryCodePoint() {
        assertThat(UriEncoding.encode("é")).isEqualTo("%C3%A9");
        assertThat(UriEncoding.encode("ሴ")).isEqualTo("%E1%88%B4");
        assertThat(UriEncoding.encode("😀")).isEqualTo("%F0%9F%98%80");
    }

    @Test
    void decodesEscapesButNotPlus() {
        assertThat(UriEncoding.decode("a%20b+c%E1%88%B4")).isEqualTo("a b+cሴ");
        assertThat(UriEncoding.decode("100%")).isEqualTo("100%");
        assertThat(UriEncoding.decode("%zz")).isEqualTo("%zz");
    }

    @Test
    void canonicalUriOfAnEmptyPathIsSlash() {
        assertThat(CanonicalRequest.uri("")).isEqualTo("/");
        assertThat(CanonicalRequest.uri("/")).isEqualTo("/");
    }

    @Test
    void sortsQueryParametersByEncodedNameThenValue() {
        assertThat(CanonicalRequest.query("b=2&a=2&a=1&c")).isEqualTo("a=1&a=2&b=2&c=");
        assertThat(CanonicalRequest.query("")).isEmpty();
    }

    @Test
    void collapsesBlanksInsideHeaderValues() {
        assertThat(CanonicalRequest.trimAll("  a   b\t\tc  ")).isEqualTo("a b c");
        assertThat(CanonicalRequest.trimAll("plain")).isEqualTo("plain");
    }
}
