/**
 * The {@code application/vnd.amazon.eventstream} framing: binary messages of a 12-byte prelude (total
 * length, headers length, prelude CRC32), typed headers, a payload and a message CRC32, in which AWS
 * services such as Bedrock's ConverseStream send their events. {@link
 * dev.switchboard.aws.eventstream.EventStreamDecoder} reads them from a stream, bounded and CRC-checked,
 * without allocating per byte; {@link dev.switchboard.aws.eventstream.EventStreamEncoder} writes them
 * (for the upstream simulator). Both are tested against AWS's published test vectors.
 */
package dev.switchboard.aws.eventstream;
