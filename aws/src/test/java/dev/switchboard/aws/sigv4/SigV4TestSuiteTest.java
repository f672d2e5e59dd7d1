package dev.switchboard.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The signer against AWS's own signing test suite (resources/aws-sig-v4-test-suite, its README names the source). */
class SigV4TestSuiteTest {
    static Stream<SuiteCase> cases() {
        return SuiteCase.all();
    }

    @Test
    void transcribedSuiteIsComplete() {
        assertThat(cases()).hasSize(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void buildsTheSuitesCanonicalRequest(SuiteCase c) {
        SigV4Signer.Signing signing = signer(c).prepare(c.request(), c.body(), c.credentials(), c.region(), c.time());

        assertThat(signing.canonical().text()).isEqualTo(c.canonicalRequest());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void buildsTheSuitesStringToSign(SuiteCase c) {
        SigV4Signer.Signing signing = signer(c).prepare(c.request(), c.body(), c.credentials(), c.region(), c.time());

        assertThat(signing.stringToSign()).isEqualTo(c.stringToSign());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void signsAsTheSuiteDoes(SuiteCase c) {
        SigV4Headers headers = signer(c).sign(c.request(), c.body(), c.credentials(), c.region(), c.time());

        String scope = "20150830/" + c.region() + "/" + c.service() + "/aws4_request";
        assertThat(headers.authorization())
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope + ", SignedHeaders=")
                .endsWith(", Signature=" + c.signature());
        assertThat(headers.amzDate()).isEqualTo("20150830T123600Z");
        assertThat(headers.securityToken()).isEqualTo(c.credentials().sessionToken());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verifierAcceptsWhatTheSuiteSigned(SuiteCase c) {
        SigV4Headers headers = signer(c).sign(c.request(), c.body(), c.credentials(), c.region(), c.time());
        SigV4Verifier verifier = new SigV4Verifier(
                c.service(),
                id -> id.equals(c.credentials().accessKeyId()) ? Optional.of(c.credentials()) : Optional.empty(),
                Duration.ofMinutes(5),
                Clock.fixed(c.time(), ZoneOffset.UTC));

        assertThat(verifier.verify(SigV4Fixtures.withHeaders(c.request(), headers), c.body()))
                .isEmpty();
    }

    private static SigV4Signer signer(SuiteCase c) {
        return new SigV4Signer(c.service(), c.signBody());
    }

    @Test
    void signingHeadersGoIntoARequestInOrder() {
        SuiteCase c = cases().filter(s -> s.name().equals("get-vanilla-with-session-token"))
                .findFirst()
                .orElseThrow();
        Map<String, String> request = new LinkedHashMap<>();

        signer(c)
                .sign(c.request(), c.body(), c.credentials(), c.region(), c.time())
                .addTo(request);

        assertThat(request).containsOnlyKeys("X-Amz-Date", "X-Amz-Security-Token", "Authorization");
        assertThat(request.get("X-Amz-Security-Token"))
                .isEqualTo(c.credentials().sessionToken());
    }
}
