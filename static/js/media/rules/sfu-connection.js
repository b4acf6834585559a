// Connection rules that need no browser: where the SFU is, when to rejoin, how to read failures.

/**
 * livekit-client's DisconnectReason values (from @livekit/protocol) we act on.
 * Kept as numbers here so this module stays importable without the SDK.
 */
export const DisconnectReason = Object.freeze({
  UNKNOWN_REASON: 0,
  CLIENT_INITIATED: 1,
  DUPLICATE_IDENTITY: 2,
  SERVER_SHUTDOWN: 3,
  PARTICIPANT_REMOVED: 4,
  ROOM_DELETED: 5,
  STATE_MISMATCH: 6,
  JOIN_FAILURE: 7,
  MIGRATION: 8,
  SIGNAL_CLOSE: 9,
  ROOM_CLOSED: 10,
  CONNECTION_TIMEOUT: 14,
  MEDIA_FAILURE: 15,
});

/** livekit-client's ConnectionErrorReason values. */
export const ConnectionErrorReason = Object.freeze({
  NotAllowed: 0,
  ServerUnreachable: 1,
  InternalError: 2,
  Cancelled: 3,
  LeaveRequest: 4,
  Timeout: 5,
  WebSocket: 6,
  ServiceNotFound: 7,
});

/**
 * Disconnects that must not trigger a rejoin: I left; another tab of mine took over (rejoining
 * would fight it forever); the server removed me (a jail kick: presence moves me on); the room is
 * gone.
 */
/** @type {Set<number>} */
const DELIBERATE = new Set([
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.DUPLICATE_IDENTITY,
  DisconnectReason.PARTICIPANT_REMOVED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.ROOM_CLOSED,
]);

export const MAX_REJOIN_ATTEMPTS = 3;
/**
 * How long a connection attempt may take before the SFU counts as unreachable. livekit-client
 * keeps retrying an address that answers with errors for minutes; people need to know sooner.
 */
export const CONNECT_DEADLINE_MS = 20_000;
export const REJOIN_BASE_DELAY_MS = 1000;

/**
 * The LiveKit signalling URL for a join response's `wsUrl`: an absolute ws(s):// URL is used as
 * given, an http(s):// one gets the matching ws scheme, and a path such as 1.x's "/livekit/" is
 * resolved against the page (ws:// for an http page, wss:// for https).
 * @param {string} wsUrl
 * @param {string} pageUrl  location.href, or a desktop shell's server URL
 */
export function resolveWsUrl(wsUrl, pageUrl) {
  const url = new URL(wsUrl, pageUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`Not a WebSocket URL: ${wsUrl}`);
  }
  return url.toString();
}

/**
 * Whether an unexpected disconnect with this reason deserves automatic rejoin attempts.
 * @param {number | undefined} reason
 */
export function shouldRejoin(reason) {
  return reason === undefined || !DELIBERATE.has(reason);
}

/**
 * Whether the server removed me (as opposed to my leaving or a network failure).
 * @param {number | undefined} reason
 */
export function removedByServer(reason) {
  return (
    reason === DisconnectReason.PARTICIPANT_REMOVED ||
    reason === DisconnectReason.ROOM_DELETED ||
    reason === DisconnectReason.DUPLICATE_IDENTITY
  );
}

/**
 * Delay before rejoin attempt `attempt` (1-based): 1 s, 2 s, 4 s, each stretched by up to 25 %
 * so a room full of clients dropped together does not come back in lockstep.
 * @param {number} attempt
 * @param {() => number} [random]
 */
export function rejoinDelay(attempt, random = Math.random) {
  const base = REJOIN_BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1);
  return Math.round(base * (1 + 0.25 * random()));
}

/** @typedef {'unreachable' | 'refused' | 'removed' | 'cancelled' | 'failed'} ConnectFailure */

/**
 * What a failed `room.connect()` means for the user.
 *  - unreachable: the media server could not be reached (show the state, offer retry);
 *  - refused: it answered but refused the token (a fresh join may fix it);
 *  - removed: it told us to leave while connecting;
 *  - cancelled: we aborted it ourselves (a newer join or a leave), nothing to show;
 *  - failed: anything else.
 * @param {unknown} error
 * @returns {ConnectFailure}
 */
export function classifyConnectError(error) {
  const e = /** @type {{ name?: string, reason?: number, context?: unknown } | null} */ (error);
  if (!e || e.name !== 'ConnectionError') return 'failed';
  switch (e.reason) {
    case ConnectionErrorReason.NotAllowed:
      return 'refused';
    case ConnectionErrorReason.Cancelled:
      return 'cancelled';
    case ConnectionErrorReason.LeaveRequest:
      return shouldRejoin(/** @type {number | undefined} */ (e.context)) ? 'unreachable' : 'removed';
    case ConnectionErrorReason.ServerUnreachable:
    case ConnectionErrorReason.Timeout:
    case ConnectionErrorReason.WebSocket:
    case ConnectionErrorReason.InternalError:
    case ConnectionErrorReason.ServiceNotFound:
      return 'unreachable';
    default:
      return 'failed';
  }
}

/**
 * The message shown for a failure, or null when nothing should be shown.
 * @param {ConnectFailure} failure
 */
export function failureMessage(failure) {
  switch (failure) {
    case 'unreachable':
      return 'Media server unreachable';
    case 'refused':
      return 'The media server refused the connection';
    case 'removed':
      return 'You were removed from the call';
    case 'failed':
      return 'Could not connect to the call';
    default:
      return null;
  }
}
