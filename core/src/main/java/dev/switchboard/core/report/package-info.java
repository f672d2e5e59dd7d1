/**
 * Reports over generation records: activity per day and endpoint ({@code GET /activity}) and app
 * rankings ({@code GET /apps}). Both are read from aggregates the storage keeps up in the transaction
 * that stores the records, never from the records themselves; this package holds what is the same for
 * every backend: the shapes, which app a request belongs to, and how rows become a report.
 */
package dev.switchboard.core.report;
