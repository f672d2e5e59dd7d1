package dev.switchboard.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.error.ErrorType;
import dev.switchboard.core.error.GatewayException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class KeyRegistryTest {
    private static final Instant T0 = Instant.parse("2025-03-19T12:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final SteppingClock clock = new SteppingClock(T0);
    private final KeyRegistry registry = new KeyRegistry(store, clock);

    @Test
    void createdKeyIsStoredByHashWithAMaskedLabelAndNeverItsSecret() {
        CreatedKey created = registry.create("ci runner", false);

        assertThat(created.secret()).matches("sk-sb-v1-[0-9a-f]{64}");
        ApiKey key = created.key();
        assertThat(key.hash()).isEqualTo(KeySecrets.hash(created.secret()));
        assertThat(key.label())
                .isEqualTo(KeySecrets.label(created.secret()))
                .doesNotContain(created.secret().substring(12, 70));
        assertThat(key.name()).isEqualTo("ci runner");
        assertThat(key.management()).isFalse();
        assertThat(key.disabled()).isFalse();
        assertThat(key.createdAt()).isEqualTo(T0);
        assertThat(key.updatedAt()).isEqualTo(T0);
        assertThat(store.find(key.hash())).contains(key);
        assertThat(store.all().toString()).doesNotContain(created.secret());
        assertThat(created.toString()).doesNotContain(created.secret());
    }

    @Test
    void authenticatesABearerSecret() {
        CreatedKey created = registry.create("app", false);

        assertThat(registry.authenticate("Bearer " + created.secret())).isEqualTo(created.key());
        assertThat(registry.authenticate("bearer " + created.secret())).isEqualTo(created.key());
        assertThat(registry.authenticate("  Bearer   " + created.secret() + "  "))
                .isEqualTo(created.key());
        assertThat(registry.authenticate("Bearer\t" + created.secret())).isEqualTo(created.key());
        assertThat(registry.authenticate(created.secret()))
                .as("a bare secret without the scheme")
                .isEqualTo(created.key());
        assertThat(registry.authenticateInference("Bearer " + created.secret())).isEqualTo(created.key());
    }

    @Test
    void rejectsMissingEmptyAndUnknownKeysWith401() {
        registry.create("app", false);

        assertUnauthorized(() -> registry.authenticate(null), "Missing Authorization header");
        assertUnauthorized(() -> registry.authenticate("   "), "Missing Authorization header");
        assertUnauthorized(() -> registry.authenticate("Bearer "), "Empty API key");
        assertUnauthorized(() -> registry.authenticate("bearer"), "Empty API key");
        assertUnauthorized(() -> registry.authenticate("Bearer\t"), "Empty API key");
        assertUnauthorized(() -> registry.authenticate("Bearer sk-sb-v1-unknown"), "Invalid API key");
    }

    @Test
    void rejectionNeverEchoesThePresentedSecret() {
        GatewayException e = catchThrowableOfType(
                GatewayException.class, () -> registry.authenticate("Bearer sk-sb-v1-leaky-secret"));

        assertThat(e.getMessage()).doesNotContain("leaky");
        assertThat(e.metadata().toString()).doesNotContain("leaky");
    }

    @Test
    void rejectsADisabledKeyWith401() {
        CreatedKey created = registry.create("app", false);
        registry.update(created.key().hash(), Optional.empty(), Optional.of(true));

        assertUnauthorized(() -> registry.authenticate("Bearer " + created.secret()), "disabled");
    }

    @Test
    void reEnabledKeyAuthenticatesAgain() {
        CreatedKey created = registry.create("app", false);
        registry.update(created.key().hash(), Optional.empty(), Optional.of(true));
        registry.update(created.key().hash(), Optional.empty(), Optional.of(false));

        assertThat(registry.authenticate("Bearer " + created.secret()).disabled())
                .isFalse();
    }

    @Test
    void managementEndpointsRefuseOrdinaryKeysWith403() {
        CreatedKey ordinary = registry.create("app", false);
        CreatedKey admin = registry.create("admin", true);

        assertThat(registry.authenticateManagement("Bearer " + admin.secret())).isEqualTo(admin.key());
        GatewayException e = catchThrowableOfType(
                GatewayException.class, () -> registry.authenticateManagement("Bearer " + ordinary.secret()));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.type()).isEqualTo(ErrorType.PERMISSION_DENIED);
    }

    @Test
    void inferenceRefusesManagementKeysWith403() {
        CreatedKey admin = registry.create("admin", true);

        GatewayException e = catchThrowableOfType(
                GatewayException.class, () -> registry.authenticateInference("Bearer " + admin.secret()));

        assertThat(e.status()).isEqualTo(403);
    }

    @Test
    void managementChecksStillRequireAValidKey() {
        assertUnauthorized(() -> registry.authenticateManagement("Bearer nope"), "Invalid API key");
        assertUnauthorized(() -> registry.authenticateInference(null), "Missing");
    }

    @Test
    void keysInTheStoreAuthenticateAfterARestart() {
        CreatedKey created = registry.create("app", false);

        KeyRegistry restarted = new KeyRegistry(store, clock);

        assertThat(restarted.authenticate("Bearer " + created.secret())).isEqualTo(created.key());
    }

    @Test
    void updateRenamesAndDisablesWithANewTimestampAndStoresTheChange() {
        ApiKey key = registry.create("old name", false).key();
        clock.advance(Duration.ofMinutes(5));

        ApiKey changed = registry.update(key.hash(), Optional.of("new name"), Optional.of(true));

        assertThat(changed.name()).isEqualTo("new name");
        assertThat(changed.disabled()).isTrue();
        assertThat(changed.createdAt()).isEqualTo(T0);
        assertThat(changed.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(changed.label()).isEqualTo(key.label());
        assertThat(store.find(key.hash())).contains(changed);
        assertThat(registry.find(key.hash())).contains(changed);
    }

    @Test
    void updateWithoutChangesKeepsNameAndState() {
        ApiKey key = registry.create("same", false).key();

        ApiKey unchanged = registry.update(key.hash(), Optional.empty(), Optional.empty());

        assertThat(unchanged.name()).isEqualTo("same");
        assertThat(unchanged.disabled()).isFalse();
    }

    @Test
    void updatingAnUnknownKeyIs404() {
        GatewayException e = catchThrowableOfType(
                GatewayException.class, () -> registry.update("0".repeat(64), Optional.of("x"), Optional.empty()));

        assertThat(e.status()).isEqualTo(404);
    }

    @Test
    void deletedKeyIsGoneFromStoreAndNoLongerAuthenticates() {
        CreatedKey created = registry.create("app", false);

        registry.delete(created.key().hash());

        assertThat(store.find(created.key().hash())).isEmpty();
        assertThat(registry.find(created.key().hash())).isEmpty();
        assertUnauthorized(() -> registry.authenticate("Bearer " + created.secret()), "Invalid API key");
    }

    @Test
    void deletingAnUnknownKeyIs404() {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> registry.delete("f".repeat(64)));

        assertThat(e.status()).isEqualTo(404);
    }

    @Test
    void listsKeysOldestFirstSkippingDisabledUnlessAskedAndPaged() {
        ApiKey first = registry.create("first", false).key();
        clock.advance(Duration.ofSeconds(1));
        ApiKey second = registry.create("second", false).key();
        clock.advance(Duration.ofSeconds(1));
        ApiKey third = registry.create("third", true).key();
        ApiKey secondDisabled = registry.update(second.hash(), Optional.empty(), Optional.of(true));

        assertThat(registry.list(false, 0, 100)).containsExactly(first, third);
        assertThat(registry.list(true, 0, 100)).containsExactly(first, secondDisabled, third);
        assertThat(registry.list(true, 1, 1)).containsExactly(secondDisabled);
        assertThat(registry.list(true, 3, 10)).isEmpty();
    }

    @Test
    void firstStartWithoutConfiguredSecretCreatesOneManagementKeyShownOnce() {
        Optional<CreatedKey> created = registry.ensureManagementKey(Optional.empty());

        assertThat(created).hasValueSatisfying(k -> {
            assertThat(k.key().management()).isTrue();
            assertThat(registry.authenticateManagement("Bearer " + k.secret())).isEqualTo(k.key());
        });
        assertThat(registry.ensureManagementKey(Optional.empty()))
                .as("not again")
                .isEmpty();
        assertThat(new KeyRegistry(store, clock).ensureManagementKey(Optional.empty()))
                .as("not after a restart")
                .isEmpty();
        assertThat(store.all()).hasSize(1);
    }

    @Test
    void ordinaryKeysDoNotCountAsAManagementKey() {
        registry.create("app", false);

        assertThat(registry.ensureManagementKey(Optional.empty())).isPresent();
    }

    @Test
    void configuredSecretIsRegisteredAsAManagementKeyOnce() {
        String secret = "sk-sb-v1-admin-from-the-environment-0123456789";

        assertThat(registry.ensureManagementKey(Optional.of(secret))).isEmpty();
        assertThat(registry.ensureManagementKey(Optional.of(secret))).isEmpty();
        assertThat(new KeyRegistry(store, clock).ensureManagementKey(Optional.of(secret)))
                .isEmpty();

        ApiKey admin = registry.authenticateManagement("Bearer " + secret);
        assertThat(admin.management()).isTrue();
        assertThat(admin.hash()).isEqualTo(KeySecrets.hash(secret));
        assertThat(admin.name()).contains("SWITCHBOARD_ADMIN_KEY");
        assertThat(admin.label()).doesNotContain("from-the-environment");
        assertThat(store.all()).singleElement().isEqualTo(admin);
    }

    @Test
    void configuredSecretIsAddedBesideExistingManagementKeys() {
        CreatedKey generated = registry.ensureManagementKey(Optional.empty()).orElseThrow();

        registry.ensureManagementKey(Optional.of("sk-sb-v1-configured-admin-secret"));

        assertThat(registry.authenticateManagement("Bearer sk-sb-v1-configured-admin-secret")
                        .management())
                .isTrue();
        assertThat(registry.authenticateManagement("Bearer " + generated.secret())
                        .management())
                .isTrue();
        assertThat(store.all()).hasSize(2);
    }

    @Test
    void changingTheConfiguredSecretReplacesTheKeyOfItsPreviousValue() {
        CreatedKey generated = registry.ensureManagementKey(Optional.empty()).orElseThrow();
        String first = "sk-sb-v1-first-configured-admin-secret";
        String second = "sk-sb-v1-second-configured-admin-secret";
        registry.ensureManagementKey(Optional.of(first));

        new KeyRegistry(store, clock).ensureManagementKey(Optional.of(second));

        KeyRegistry restarted = new KeyRegistry(store, clock);
        assertThat(restarted.authenticateManagement("Bearer " + second).management())
                .isTrue();
        assertUnauthorized(() -> restarted.authenticate("Bearer " + first), "Invalid API key");
        assertThat(restarted.authenticateManagement("Bearer " + generated.secret()))
                .as("keys not from the variable stay")
                .isEqualTo(generated.key());
        assertThat(store.all()).hasSize(2);
    }

    @Test
    void aDisabledConfiguredKeyIsEnabledAgainAtStart() {
        String secret = "sk-sb-v1-configured-admin-secret-0123";
        registry.ensureManagementKey(Optional.empty());
        registry.ensureManagementKey(Optional.of(secret));
        registry.update(KeySecrets.hash(secret), Optional.empty(), Optional.of(true));

        new KeyRegistry(store, clock).ensureManagementKey(Optional.of(secret));

        assertThat(new KeyRegistry(store, clock)
                        .authenticateManagement("Bearer " + secret)
                        .disabled())
                .isFalse();
    }

    @Test
    void refusesAConfiguredSecretTooShortToBeAKey() {
        assertThat(catchThrowableOfType(
                        IllegalArgumentException.class, () -> registry.ensureManagementKey(Optional.of("admin123"))))
                .hasMessageContaining("SWITCHBOARD_ADMIN_KEY must be at least 24 characters")
                .hasMessageNotContaining("admin123");
        assertThat(store.all()).isEmpty();
    }

    @Test
    void refusesToDisableOrDeleteTheLastEnabledManagementKey() {
        ApiKey admin =
                registry.ensureManagementKey(Optional.empty()).orElseThrow().key();

        GatewayException disabling = catchThrowableOfType(
                GatewayException.class, () -> registry.update(admin.hash(), Optional.empty(), Optional.of(true)));
        GatewayException deleting = catchThrowableOfType(GatewayException.class, () -> registry.delete(admin.hash()));

        assertThat(disabling.status()).isEqualTo(400);
        assertThat(disabling.getMessage()).contains("last enabled management key");
        assertThat(deleting.status()).isEqualTo(400);
        assertThat(registry.find(admin.hash()))
                .hasValueSatisfying(k -> assertThat(k.disabled()).isFalse());
    }

    @Test
    void aManagementKeyMayGoWhileAnotherEnabledOneRemains() {
        ApiKey first =
                registry.ensureManagementKey(Optional.empty()).orElseThrow().key();
        ApiKey second = registry.create("second admin", true).key();

        registry.update(first.hash(), Optional.empty(), Optional.of(true));
        registry.delete(first.hash());

        assertThat(registry.list(true, 0, 10)).containsExactly(second);
    }

    @Test
    void startCreatesANewManagementKeyWhenEveryStoredOneIsDisabled() {
        ApiKey admin =
                registry.ensureManagementKey(Optional.empty()).orElseThrow().key();
        store.update(admin.withDisabled(true, T0));

        Optional<CreatedKey> recovered = new KeyRegistry(store, clock).ensureManagementKey(Optional.empty());

        assertThat(recovered)
                .hasValueSatisfying(k -> assertThat(k.key().management()).isTrue());
    }

    @Test
    void storedSecretsAreOnlyHashes() {
        List<CreatedKey> created = List.of(registry.create("a", false), registry.create("b", true));

        for (CreatedKey key : created) {
            assertThat(store.all().toString()).doesNotContain(key.secret());
        }
    }

    private static void assertUnauthorized(ThrowingCallable call, String messagePart) {
        GatewayException e = catchThrowableOfType(GatewayException.class, call);
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.type()).isEqualTo(ErrorType.AUTHENTICATION);
        assertThat(e.getMessage()).contains(messagePart);
    }
}
