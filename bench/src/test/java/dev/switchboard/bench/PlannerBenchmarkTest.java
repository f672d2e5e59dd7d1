package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.routing.Attempt;
import dev.switchboard.core.routing.RoutePlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner benchmark's fixtures plan what their names say, over the bundled catalog. */
class PlannerBenchmarkTest {
    private final PlannerBenchmark benchmark = new PlannerBenchmark();

    @Test
    void theModelHasFiveEndpointsAndEveryPlanIsWhole() {
        benchmark.loadCatalog();

        assertThat(benchmark.balanced().attempts()).hasSize(5);
        assertThat(benchmark.exacto().attempts()).hasSize(5);
        assertThat(models(benchmark.threeModels())).hasSize(3);
    }

    @Test
    void theAutoRouterPlansThreeModelsOfTheBundledCatalogForACodingPrompt() {
        benchmark.loadCatalog();

        List<String> models = models(benchmark.autoRouter());

        assertThat(models).hasSize(3);
        assertThat(models.getFirst()).as("a model made for code").contains("coder");
    }

    private static List<String> models(RoutePlan plan) {
        return plan.attempts().stream()
                .map(Attempt::model)
                .map(m -> m.id())
                .distinct()
                .toList();
    }
}
