/**
 * The canonical answer: the events a provider adapter yields while a response streams in (text,
 * reasoning and tool-call deltas, the finish, the usage), and the {@link
 * dev.switchboard.model.response.Completion} that the same events assemble into. A non-streamed answer
 * is decoded into these events too and assembled by {@link dev.switchboard.model.response.CompletionAssembler},
 * so streamed and non-streamed answers can never disagree.
 */
package dev.switchboard.model.response;
