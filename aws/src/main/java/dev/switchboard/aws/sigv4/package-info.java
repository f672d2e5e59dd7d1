/**
 * AWS Signature Version 4 for requests whose signature goes in the {@code Authorization} header: {@link
 * dev.switchboard.aws.sigv4.SigV4Signer} signs (the Bedrock adapter), {@link
 * dev.switchboard.aws.sigv4.SigV4Verifier} checks a signature the way AWS does (the upstream simulator).
 * Both build the canonical request with the same code, which is tested against AWS's published
 * signing test suite. Secret keys never appear in a message, an exception or a {@code toString}.
 */
package dev.switchboard.aws.sigv4;
