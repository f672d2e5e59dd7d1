/**
 * Bring your own key: a workspace's own provider keys, sealed at rest with AES-256-GCM under a master
 * key ({@link dev.switchboard.core.byok.SecretSealer}), opened once and kept in memory
 * ({@link dev.switchboard.core.byok.ByokRegistry}), tried before or after the gateway's shared provider
 * keys (the routing planner places them), and billed a fee of their list price
 * ({@link dev.switchboard.core.byok.ByokFee}).
 */
package dev.switchboard.core.byok;
