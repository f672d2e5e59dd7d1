package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.GatewayProcess;
import dev.switchboard.simulator.SimulatorOptions;
import dev.switchboard.simulator.UpstreamSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code serve} prints: the banner first, and no notices from the libraries under it. */
class ServeOutputTest {
    @Test
    void printsTheBannerFirstAndNoLibraryNotices() throws IOException {
        Path directory = Files.createTempDirectory("switchboard-serve-output");
        Path config = directory.resolve("switchboard.yaml");
        try (UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorOptions.defaults())) {
            Files.writeString(config, GatewayProcess.configYaml(simulator.baseUrl(), ""));
            try (GatewayProcess gateway =
                    GatewayProcess.start(config, directory.resolve("data"), List.of("-Xmx128m"))) {
                assertThat(gateway.firstOutputLine()).startsWith("Switchboard listening on http://127.0.0.1:");
                assertThat(gateway.stderr()).doesNotContain("Helidon logging").doesNotContain("There is no");
            }
        }
    }
}
