// Reconnect delays: exponential with jitter, so a restarted server is not hit by every
// client in the same instant.

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry).
 * @param {number} attempt
 * @param {{baseMs?: number, maxMs?: number, random?: () => number}} [options]
 */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 30000, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  // "Equal jitter": at least half the ceiling, so delays still grow, plus a random share.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
