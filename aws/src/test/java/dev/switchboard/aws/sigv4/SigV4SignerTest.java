package dev.switchboard.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {
    static final AwsCredentials SUITE_CREDENTIALS =
            AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    static final String BEDROCK_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";

    static SignableRequest bedrockConverse() {
        return new SignableRequest(
                "POST",
                "bedrock-runtime.us-east-1.amazonaws.com",
                BEDROCK_PATH,
                "",
                List.of(new HttpHeader("Content-Type", "application/json")));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SigV4SignerTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void signsABedrockConverseRequestAsBotocoreDoes() throws IOException {
        byte[] body = resource("sigv4/bedrock-converse/body.json");
        SigV4Signer signer = new SigV4Signer("bedrock");

        SigV4Signer.Signing signing =
                signer.prepare(bedrockConverse(), body, SUITE_CREDENTIALS, "us-east-1", SUITE_TIME);
        SigV4Headers headers = signer.sign(bedrockConverse(), body, SUITE_CREDENTIALS, "us-east-1", SUITE_TIME);

        assertThat(signing.canonical().text())
                .isEqualTo(
                        new String(resource("sigv4/bedrock-converse/canonical-request.txt"), StandardCharsets.UTF_8));
        assertThat(signing.stringToSign())
                .isEqualTo(new String(resource("sigv4/bedrock-converse/string-to-sign.txt"), StandardCharsets.UTF_8));
        assertThat(headers.authorization())
                .isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request,"
                        + " SignedHeaders=content-type;host;x-amz-date,"
                        + " Signature=050c447c1cf5f510cf1a45ca07584ebd7cad6011840815dfcd9293ef5c6837bd");
    }

    @Test
    void encodesTheModelIdsColonTwiceInTheCanonicalUri() {
        assertThat(CanonicalRequest.uri(BEDROCK_PATH))
                .isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse");
        assertThat(CanonicalRequest.uri(
                        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x/converse"))
                .isEqualTo(
                        "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Ainference-profile%252Fus.x/converse");
    }

    @Test
    void derivesThePublishedSigningKeys() {
        SigV4Signer service = new SigV4Signer("service");
        SigV4Signer bedrock = new SigV4Signer("bedrock");
        SigV4Signer iam = new SigV4Signer("iam");

        assertThat(service.signingKeyHex(SUITE_CREDENTIALS.secretAccessKey(), "20150830", "us-east-1"))
                .isEqualTo("938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75");
        assertThat(bedrock.signingKeyHex(SUITE_CREDENTIALS.secretAccessKey(), "20150830", "us-east-1"))
                .isEqualTo("90e694a0eeb93605dc6a1e798b98fe0e790776a911d2494317b06246c599ba53");
        // AWS IAM user guide's worked example
        assertThat(iam.signingKeyHex(SUITE_CREDENTIALS.secretAccessKey(), "20150830", "us-east-1"))
                .isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    }

    @Test
    void signsTheIamGuidesStringToSign() {
        SigningKey key = SigningKey.derive(SUITE_CREDENTIALS.secretAccessKey(), "20150830", "us-east-1", "iam");
        String stringToSign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
                + "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";

        assertThat(key.sign(stringToSign))
                .isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    @Test
    void derivesAKeyOncePerDayAndRegion() {
        SigV4Signer signer = new SigV4Signer("bedrock");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < 3; i++) {
            var unused =
                    signer.sign(bedrockConverse(), body, SUITE_CREDENTIALS, "us-east-1", SUITE_TIME.plusSeconds(i));
        }
        var unused = signer.sign(bedrockConverse(), body, SUITE_CREDENTIALS, "eu-west-1", SUITE_TIME);
        var nextDay =
                signer.sign(bedrockConverse(), body, SUITE_CREDENTIALS, "us-east-1", SUITE_TIME.plusSeconds(86_400));

        assertThat(signer.cachedKeys()).isEqualTo(3);
        assertThat(nextDay.amzDate()).isEqualTo("20150831T123600Z");
    }

    @Test
    void keepsTheKeyCacheBounded() {
        SigV4Signer signer = new SigV4Signer("bedrock");
        byte[] body = new byte[0];

        for (int day = 0; day < SigningKeys.MAX_KEYS + 10; day++) {
            var unused = signer.sign(
                    bedrockConverse(), body, SUITE_CREDENTIALS, "us-east-1", SUITE_TIME.plusSeconds(86_400L * day));
        }

        assertThat(signer.cachedKeys()).isLessThanOrEqualTo(SigningKeys.MAX_KEYS);
    }

    @Test
    void signsTheSessionTokenOfTemporaryCredentials() {
        AwsCredentials temporary = new AwsCredentials("ASIAEXAMPLE", "secret", "token-value");

        SigV4Headers headers =
                new SigV4Signer("bedrock").sign(bedrockConverse(), new byte[0], temporary, "us-east-1", SUITE_TIME);

        assertThat(headers.securityToken()).isEqualTo("token-value");
        assertThat(headers.authorization())
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,");
    }

    @Test
    void neverShowsSecretsInToString() {
        AwsCredentials temporary = new AwsCredentials("ASIAEXAMPLE", "the-secret-key", "the-session-token");
        SigV4Headers headers =
                new SigV4Signer("bedrock").sign(bedrockConverse(), new byte[0], temporary, "us-east-1", SUITE_TIME);

        assertThat(temporary.toString()).contains("ASIAEXAMPLE").doesNotContain("the-secret-key", "the-session-token");
        assertThat(headers.toString()).doesNotContain("the-session-token", "Signature");
    }

    @Test
    void refusesCredentialsWithoutASecret() {
        assertThatThrownBy(() -> AwsCredentials.of("AKID", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AwsCredentials.of(" ", "secret")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsTheSigningTimeInUtc() {
        assertThat(SigV4Signer.amzDate(Instant.parse("2026-01-02T03:04:05.999Z")))
                .isEqualTo("20260102T030405Z");
    }
}
