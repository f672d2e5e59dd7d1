package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of {@code switchboard serve}. */
class ServeCommandTest {
    @Test
    void allowsANewDatabaseOnlyWhenAsked() {
        ServeCommand plain = new ServeCommand();
        new CommandLine(plain).parseArgs("--port", "0");
        ServeCommand allowing = new ServeCommand();
        new CommandLine(allowing).parseArgs("--allow-new-database");

        assertThat(plain.allowNewDatabase).isFalse();
        assertThat(allowing.allowNewDatabase).isTrue();
        assertThat(new CommandLine(new ServeCommand()).getUsageMessage())
                .contains("--allow-new-database")
                .contains("SWITCHBOARD_ALLOW_NEW_DATABASE");
    }

    @Test
    void defaultProviderAndForcedModelAreCommandLineOverrides() {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--default-provider", "groq", "--force-model", "acme/chat-small");

        assertThat(command.overrides().defaultProvider()).contains("groq");
        assertThat(command.overrides().forceModel()).contains("acme/chat-small");
        assertThat(new ServeCommand().overrides().forceModel()).isEmpty();
        assertThat(new CommandLine(new ServeCommand()).getUsageMessage())
                .contains("--default-provider")
                .contains("SWITCHBOARD_ROUTING_DEFAULT_PROVIDER")
                .contains("--force-model")
                .contains("SWITCHBOARD_ROUTING_FORCE_MODEL");
    }
}
