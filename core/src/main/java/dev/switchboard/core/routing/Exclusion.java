package dev.switchboard.core.routing;

/**
 * One endpoint a routing filter removed from a request's plan.
 *
 * @param modelId      the model the endpoint serves
 * @param endpointSlug the endpoint's full slug
 * @param filter       the filter, as OpenRouter's {@code excluded_by} names it ({@code max_price},
 *                     {@code data_policy:zdr}, ...), or {@code unavailable} for a provider that cannot
 *                     be called (disabled, no key)
 * @param detail       what the filter found, for the error message
 */
public record Exclusion(String modelId, String endpointSlug, String filter, String detail) {}
