/**
 * The canonical request: what a client asked for, independent of the API it asked in and of the
 * provider that will answer. Every ingress dialect parses its wire format into these records and every
 * provider adapter translates them into its own. Anything a wire format carries that has no field here
 * rides along as {@link dev.switchboard.model.chat.Extensions}, so nothing a client sent is lost.
 *
 * <p>All types are immutable records; lists are copied; nothing is null (absence is {@code Optional}
 * or an empty list).
 */
package dev.switchboard.model.chat;
