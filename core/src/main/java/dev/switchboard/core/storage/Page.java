package dev.switchboard.core.storage;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items      the page, in the listing's order
 * @param totalCount how many items the whole listing has
 */
public record Page<T>(List<T> items, long totalCount) {
    public Page {
        items = List.copyOf(items);
        if (totalCount < items.size()) {
            throw new IllegalArgumentException("a page holds more items than its listing");
        }
    }
}
