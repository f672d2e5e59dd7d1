package dev.switchboard.aws.sigv4;

import static dev.switchboard.aws.sigv4.SigV4SignerTest.SUITE_CREDENTIALS;
import static dev.switchboard.aws.sigv4.SigV4SignerTest.SUITE_TIME;
import static dev.switchboard.aws.sigv4.SigV4SignerTest.bedrockConverse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigV4VerifierTest {
    private static final byte[] BODY = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final AwsCredentials TEMPORARY = new AwsCredentials("ASIATEMP", "temp-secret", "temp-token");

    private static SigV4Verifier verifierAt(Instant now) {
        Map<String, AwsCredentials> known =
                Map.of(SUITE_CREDENTIALS.accessKeyId(), SUITE_CREDENTIALS, TEMPORARY.accessKeyId(), TEMPORARY);
        return new SigV4Verifier(
                "bedrock",
                id -> Optional.ofNullable(known.get(id)),
                Duration.ofMinutes(5),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SignableRequest signed(SigV4Signer signer, AwsCredentials credentials, byte[] body) {
        return SigV4Fixtures.withHeaders(
                bedrockConverse(), signer.sign(bedrockConverse(), body, credentials, "us-east-1", SUITE_TIME));
    }

    @Test
    void acceptsARequestSignedForBedrock() {
        SignableRequest request = signed(new SigV4Signer("bedrock"), SUITE_CREDENTIALS, BODY);

        assertThat(verifierAt(SUITE_TIME.plusSeconds(60)).verify(request, BODY)).isEmpty();
    }

    @Test
    void refusesARequestSignedForTheHostsNameBedrockRuntime() {
        SignableRequest request = signed(new SigV4Signer("bedrock-runtime"), SUITE_CREDENTIALS, BODY);

        assertThat(verifierAt(SUITE_TIME).verify(request, BODY)).contains(SigV4Refusal.WRONG_SERVICE);
    }

    @Test
    void refusesAPathSignedWithoutTheSecondEncoding() {
        // a signer that signs the path decoded, as the broken gateways do: the server sees %3A on the wire
        SignableRequest decodedPath = new SignableRequest(
                "POST",
                bedrockConverse().host(),
                "/model/anthropic.claude-3-5-sonnet-20240620-v1:0/converse",
                "",
                bedrockConverse().headers());
        SigV4Headers wrong =
                new SigV4Signer("bedrock").sign(decodedPath, BODY, SUITE_CREDENTIALS, "us-east-1", SUITE_TIME);

        assertThat(verifierAt(SUITE_TIME).verify(SigV4Fixtures.withHeaders(bedrockConverse(), wrong), BODY))
                .contains(SigV4Refusal.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesAChangedBody() {
        SignableRequest request = signed(new SigV4Signer("bedrock"), SUITE_CREDENTIALS, BODY);

        assertThat(verifierAt(SUITE_TIME).verify(request, "{\"messages\":[1]}".getBytes(StandardCharsets.UTF_8)))
                .contains(SigV4Refusal.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesAChangedSignedHeader() {
        SignableRequest request = signed(new SigV4Signer("bedrock"), SUITE_CREDENTIALS, BODY);

        assertThat(verifierAt(SUITE_TIME)
                        .verify(SigV4Fixtures.replacingHeader(request, "content-type", "text/plain"), BODY))
                .contains(SigV4Refusal.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesAWrongSecret() {
        SignableRequest request =
                signed(new SigV4Signer("bedrock"), AwsCredentials.of(SUITE_CREDENTIALS.accessKeyId(), "wrong"), BODY);

        assertThat(verifierAt(SUITE_TIME).verify(request, BODY)).contains(SigV4Refusal.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesAnUnknownAccessKey() {
        SignableRequest request = signed(new SigV4Signer("bedrock"), AwsCredentials.of("AKIDUNKNOWN", "x"), BODY);

        assertThat(verifierAt(SUITE_TIME).verify(request, BODY)).contains(SigV4Refusal.UNRECOGNIZED_CLIENT);
    }

    @Test
    void refusesASignatureOlderThanTheAllowedSkew() {
        SignableRequest request = signed(new SigV4Signer("bedrock"), SUITE_CREDENTIALS, BODY);

        assertThat(verifierAt(SUITE_TIME.plus(Duration.ofMinutes(6))).verify(request, BODY))
                .contains(SigV4Refusal.SIGNATURE_EXPIRED);
    }

    @Test
    void refusesARequestWithoutAuthorization() {
        assertThat(verifierAt(SUITE_TIME).verify(bedrockConverse(), BODY))
                .contains(SigV4Refusal.MISSING_AUTHENTICATION);
        SignableRequest garbled = new SignableRequest(
                "POST", "h", "/", "", List.of(new HttpHeader("Authorization", "AWS4-HMAC-SHA256 Credential=x")));
        assertThat(verifierAt(SUITE_TIME).verify(garbled, BODY)).contains(SigV4Refusal.INCOMPLETE_SIGNATURE);
    }

    @Test
    void requiresTheSessionTokenOfTemporaryCredentials() {
        SignableRequest request = signed(new SigV4Signer("bedrock"), TEMPORARY, BODY);

        assertThat(verifierAt(SUITE_TIME).verify(request, BODY)).isEmpty();
        assertThat(verifierAt(SUITE_TIME)
                        .verify(SigV4Fixtures.replacingHeader(request, "x-amz-security-token", "other"), BODY))
                .contains(SigV4Refusal.MISSING_SESSION_TOKEN);
    }

    @Test
    void refusalsNeverQuoteASecret() {
        for (SigV4Refusal refusal : SigV4Refusal.values()) {
            assertThat(refusal.message()).doesNotContain(SUITE_CREDENTIALS.secretAccessKey());
            assertThat(refusal.status()).isEqualTo(403);
        }
    }
}
