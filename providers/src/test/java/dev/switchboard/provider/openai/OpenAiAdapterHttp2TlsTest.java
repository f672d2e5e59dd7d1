package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.upstream.CallControl;
import dev.switchboard.model.response.Completion;
import dev.switchboard.provider.http.UpstreamHttp;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import io.helidon.common.tls.Tls;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI adapter over h2 with TLS (ALPN), against the simulator serving a self-signed certificate made
 * for this test by the JDK's {@code keytool}, which the client trusts explicitly.
 */
class OpenAiAdapterHttp2TlsTest {
    private static final char[] PASSWORD = "test-only".toCharArray();

    @TempDir
    Path dir;

    @Test
    void completesAChatOverH2WithTls() throws Exception {
        KeyStore store = selfSignedLoopbackCertificate(dir.resolve("simulator.p12"));
        PrivateKey key = (PrivateKey) store.getKey("simulator", PASSWORD);
        X509Certificate certificate = (X509Certificate) store.getCertificate("simulator");
        Tls serverTls = Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(List.of(certificate))
                .build();
        Tls clientTls = Tls.builder().trust(List.of(certificate)).build();

        try (UpstreamSimulator simulator = UpstreamSimulator.startTls(SimulatorOptions.defaults(), serverTls);
                UpstreamHttp http = new UpstreamHttp(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(30),
                        UpstreamHttp.DEFAULT_POOL_IDLE_TIMEOUT,
                        UpstreamHttp.DEFAULT_POOL_MAX_IDLE,
                        clientTls)) {
            OpenAiAdapter adapter = new OpenAiAdapter(http, AdapterCalls.JSON, GatewayConfig.Upstream.DEFAULTS);

            Completion first = adapter.complete(AdapterCalls.call(
                    OpenAiAdapterHttp2Test.attempt(simulator.baseUrl()),
                    AdapterCalls.chat(false, "\"simulator\":{\"output_tokens\":5}"),
                    CallControl.start()));
            Completion second = adapter.complete(AdapterCalls.call(
                    OpenAiAdapterHttp2Test.attempt(simulator.baseUrl()),
                    AdapterCalls.chat(false, "\"simulator\":{\"output_tokens\":3}"),
                    CallControl.start()));

            assertThat(simulator.baseUrl().getScheme()).isEqualTo("https");
            assertThat(first.choices().getFirst().text().strip().split(" ")).hasSize(5);
            assertThat(second.choices().getFirst().text().strip().split(" ")).hasSize(3);
            assertThat(simulator.stats().connections()).isEqualTo(1);
            assertThat(http.connectionsOpened()).as("no HTTP/1.1 connection").isZero();
        }
    }

    /** An EC key and a self-signed certificate for 127.0.0.1 and localhost, made by keytool, loaded back. */
    private static KeyStore selfSignedLoopbackCertificate(Path file) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "simulator",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool: " + output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
