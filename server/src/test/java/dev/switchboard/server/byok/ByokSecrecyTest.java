package dev.switchboard.server.byok;

import static dev.switchboard.server.byok.ByokFixture.ALPHA_ONLY;
import static dev.switchboard.server.byok.ByokFixture.GAMMA_ONLY;
import static dev.switchboard.server.byok.ByokFixture.bearer;
import static dev.switchboard.server.byok.ByokFixture.chat;
import static dev.switchboard.server.byok.ByokFixture.createKey;
import static dev.switchboard.server.testing.GatewayHarness.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayHarness;
import dev.switchboard.server.testing.LogCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace's provider keys reach their provider and nothing else: after requests that use them (one
 * answered, one refused by the provider, a stream, a replaced key, a duplicate refused), neither the
 * secret nor its base64 nor its hex is in any file of the data directory (the SQLite database, its
 * {@code -wal} and {@code -shm}, the generation journal), while the gateway runs or after it stopped, nor
 * in anything logged or printed; and the upstream saw each as its {@code Authorization}.
 */
class ByokSecrecyTest {
    private static final String SECRET = "sk-DISTINCTIVE-byok-secret-7f3a9c1e5b2d4a6f8091";
    private static final String REPLACEMENT = "sk-DISTINCTIVE-byok-replacement-0a1b2c3d4e5f";
    private static final String REFUSED = "sk-DISTINCTIVE-byok-refused-99887766554433";

    @TempDir
    Path dataDir;

    @Test
    void theSecretsAreInNoFileAndNoLogAndReachTheirProvider() {
        String data;
        List<String> seen;
        try (LogCapture logs = LogCapture.start()) {
            try (GatewayHarness gateway = ByokFixture.start("", Map.of(), Optional.of(dataDir))) {
                String id = createKey(gateway, "gamma", SECRET, ",\"name\":\"secrecy\"");
                createKey(gateway, "alpha", REFUSED, "");
                gateway.simulator().refuseCredential(REFUSED, 401);
                assertThat(gateway.post("/chat/completions", chat(GAMMA_ONLY)).statusCode())
                        .isEqualTo(200);
                assertThat(gateway.post("/chat/completions", chat(ALPHA_ONLY)).statusCode())
                        .isEqualTo(200);
                assertThat(gateway.stream(chat(GAMMA_ONLY, "", true), Map.of()).status())
                        .isEqualTo(200);
                assertThat(gateway.send(
                                        "POST",
                                        "/byok",
                                        ADMIN_KEY,
                                        "{\"provider\":\"gamma\",\"key\":\"" + SECRET + "\"}",
                                        Map.of())
                                .statusCode())
                        .isEqualTo(409);
                assertThat(gateway.send(
                                        "PATCH",
                                        "/byok/" + id,
                                        ADMIN_KEY,
                                        "{\"key\":\"" + REPLACEMENT + "\"}",
                                        Map.of())
                                .statusCode())
                        .isEqualTo(200);
                assertThat(gateway.post("/chat/completions", chat(GAMMA_ONLY)).statusCode())
                        .isEqualTo(200);
                seen = gateway.simulator().stats().authorizations();
                List<Named> running = files(dataDir);
                assertThat(running)
                        .extracting(Named::name)
                        .anyMatch(name -> name.endsWith("switchboard.db"))
                        .anyMatch(name -> name.endsWith("switchboard.db-wal"));
                assertThat(running)
                        .as("the sealed keys are in the database")
                        .anyMatch(file -> file.bytes().contains("byok_keys"));
                assertNoSecretIn(running, "the data directory while the gateway runs");
            }
            assertNoSecretIn(files(dataDir), "the data directory after the gateway stopped");
            data = logs.text();
        }
        assertThat(seen).contains(bearer(SECRET), bearer(REPLACEMENT), bearer(REFUSED));
        assertThat(data).isNotBlank();
        assertNoSecretIn(
                List.of(new Named(
                        "the logs", new String(data.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))),
                "the logs");
    }

    /** A place searched, its bytes as ISO-8859-1 text (one character per byte, so ASCII forms match as bytes). */
    private record Named(String name, String bytes) {}

    private static void assertNoSecretIn(List<Named> places, String where) {
        assertThat(places).as(where).isNotEmpty();
        for (String secret : List.of(SECRET, REPLACEMENT, REFUSED)) {
            for (String form : forms(secret)) {
                for (Named place : places) {
                    assertThat(place.bytes().contains(form))
                            .as("a form of a provider key in " + place.name() + " (" + where + ")")
                            .isFalse();
                }
            }
        }
    }

    /** The secret, its distinctive middle, and its base64 (both alphabets) and hex encodings. */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        forms.add(secret.substring(3, secret.length() - 4));
        for (int shift = 0; shift < 3; shift++) {
            // base64 of the secret at any alignment inside a longer encoded text
            byte[] shifted = new byte[bytes.length + shift];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            forms.add(encoded.substring(4, encoded.length() - 4));
            String url = Base64.getUrlEncoder().withoutPadding().encodeToString(shifted);
            forms.add(url.substring(4, url.length() - 4));
        }
        forms.add(HexFormat.of().formatHex(bytes));
        return forms;
    }

    private static List<Named> files(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> new Named(p.toString(), read(p)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
