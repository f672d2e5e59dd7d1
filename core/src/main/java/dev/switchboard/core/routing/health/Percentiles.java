package dev.switchboard.core.routing.health;

/**
 * Four percentiles of a measure over a window, in the measure's unit. For latency {@code p90} is the
 * value 90% of attempts stayed under; for throughput it is the value 90% of attempts reached, so that
 * for both a higher percentile is the worse case (OpenRouter publishes them so).
 */
public record Percentiles(double p50, double p75, double p90, double p99) {}
