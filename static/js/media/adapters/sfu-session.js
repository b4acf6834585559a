// The LiveKit connection lifecycle: one Room per join, E2EE set up before connecting, rejoin
// after an unexpected drop, and a clear "media server unreachable" state with retry.
//
// Fixes W-B4 (a final disconnect left an empty page with no retry) and W-S5 (E2EE capability
// is livekit-client's isE2EESupported(), the key is set before connecting). Everything else
// that happens inside a room (tracks, audio, whispers) belongs to the modules given the Room
// through `onRoom`. The SDK comes in as `sdk`, so tests drive a fake Room.

import {
  CONNECT_DEADLINE_MS,
  ConnectionErrorReason,
  MAX_REJOIN_ATTEMPTS,
  classifyConnectError,
  failureMessage,
  rejoinDelay,
  removedByServer,
  resolveWsUrl,
  shouldRejoin,
} from '../rules/sfu-connection.js';

/**
 * @typedef {object} JoinResponse
 * @property {string} token
 * @property {string} e2eeKey
 * @property {{ id: number, name: string }} room
 * @property {string} wsUrl
 */

/** @typedef {'on' | 'unsupported' | 'worker-failed' | 'enable-failed' | 'no-key'} E2eeSetup */

/**
 * @typedef {object} ConnectionState
 * @property {'idle' | 'connecting' | 'connected' | 'reconnecting' | 'not-connected' | 'failed'} state
 * @property {number | null} roomId
 * @property {string} [detail]       a sentence for the header / banner
 * @property {import('../rules/sfu-connection.js').ConnectFailure | 'ended'} [failure]
 * @property {number} [attempt]      rejoin attempt in progress (1..3)
 * @property {boolean} canRetry
 * @property {E2eeSetup | null} e2ee
 */

/**
 * @typedef {object} ConnectionDeps
 * @property {any} sdk                      livekit-client, or a stand-in with the same names
 * @property {() => string} pageUrl         base for a relative wsUrl (location.href)
 * @property {() => Worker} createWorker    the E2EE worker, from our static files
 * @property {() => Promise<object> | object} roomOptions  RoomOptions for each new Room
 * @property {(room: any, info: { e2ee: E2eeSetup, join: JoinResponse }) => void} onRoom   before connect
 * @property {(room: any) => Promise<void> | void} onConnected
 * @property {(room: any) => void} onRoomGone
 * @property {(state: ConnectionState) => void} onState
 * @property {(roomId: number) => Promise<JoinResponse>} [refreshJoin]  a fresh token for a rejoin
 * @property {{ set: (fn: () => void, ms: number) => unknown, clear: (handle: any) => void }} [timers]
 * @property {() => number} [random]
 * @property {Pick<Console, 'warn'>} [log]
 */

/** @param {ConnectionDeps} deps */
export function createConnection(deps) {
  const timers = deps.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h) };
  const log = deps.log ?? console;
  let seq = 0;
  /** @type {JoinResponse | null} */
  let target = null;
  /** @type {any} */
  let room = null;
  /** @type {Worker | null} */
  let worker = null;
  /** @type {E2eeSetup | null} */
  let e2ee = null;
  /** @type {ConnectionState} */
  let current = { state: 'idle', roomId: null, canRetry: false, e2ee: null };

  /** @param {Omit<ConnectionState, 'e2ee' | 'canRetry'> & { canRetry?: boolean }} next */
  function setState(next) {
    current = { canRetry: false, ...next, e2ee };
    deps.onState(current);
  }

  /**
   * Connects to the room a join response describes, replacing any other room.
   * Resolves true when connected, false when superseded or failed (the state says which).
   * @param {JoinResponse} join
   */
  async function connect(join) {
    const mine = ++seq;
    target = join;
    await teardown();
    if (mine !== seq) return false;
    return open(join, mine, 0);
  }

  /** Leaves the room; nothing rejoins afterwards. */
  async function disconnect() {
    ++seq;
    target = null;
    await teardown();
    e2ee = null;
    setState({ state: 'idle', roomId: null });
  }

  /** After a failure: tries again from the start, with a fresh token when one can be had. */
  async function retry() {
    if (!target) return false;
    const mine = ++seq;
    await teardown();
    const join = await freshJoin(target, mine);
    if (!join || mine !== seq) return false;
    return open(join, mine, 0);
  }

  /**
   * @param {JoinResponse} join
   * @param {number} mine
   * @param {number} attempt  0 for a first connect, 1..3 for rejoins
   */
  async function open(join, mine, attempt) {
    const roomId = join.room.id;
    setState(
      attempt
        ? { state: 'reconnecting', roomId, attempt, detail: rejoinText(attempt) }
        : { state: 'connecting', roomId },
    );
    let url;
    try {
      url = resolveWsUrl(join.wsUrl, deps.pageUrl());
    } catch {
      setState({ state: 'failed', roomId, failure: 'failed', detail: 'The server sent an invalid media address' });
      return false;
    }
    const prepared = await prepareE2ee(join.e2eeKey);
    if (mine !== seq) return false;
    const options = await deps.roomOptions();
    const next = new deps.sdk.Room(prepared.options ? { ...options, encryption: prepared.options } : options);
    e2ee = await enableE2ee(next, prepared.status);
    if (mine !== seq) return false;
    room = next;
    worker = prepared.worker;
    // A Room counts as dropped only once it has been up: the SDK also reports "disconnected"
    // when the first connect fails, which connectFailed handles.
    let established = false;
    next.on(deps.sdk.RoomEvent.Disconnected, (/** @type {number | undefined} */ reason) => {
      if (established) onDisconnected(next, reason);
    });
    next.on(
      deps.sdk.RoomEvent.Reconnecting,
      () => room === next && setState({ state: 'reconnecting', roomId, detail: 'Reconnecting…' }),
    );
    next.on(deps.sdk.RoomEvent.Reconnected, () => room === next && setState({ state: 'connected', roomId }));
    deps.onRoom(next, { e2ee, join });
    let timedOut = false;
    const deadline = timers.set(() => {
      timedOut = true;
      void next.disconnect();
    }, CONNECT_DEADLINE_MS);
    try {
      await next.connect(url, join.token, { autoSubscribe: true });
    } catch (error) {
      if (mine !== seq) return false;
      return connectFailed(next, join, mine, attempt, timedOut ? TIMED_OUT : error);
    } finally {
      timers.clear(deadline);
    }
    if (mine !== seq) {
      await next.disconnect();
      return false;
    }
    established = true;
    setState({ state: 'connected', roomId });
    await deps.onConnected(next);
    return true;
  }

  /**
   * @param {any} failedRoom
   * @param {JoinResponse} join
   * @param {number} mine
   * @param {number} attempt
   * @param {unknown} error
   */
  async function connectFailed(failedRoom, join, mine, attempt, error) {
    forget(failedRoom);
    const failure = classifyConnectError(error);
    if (failure === 'cancelled') return false;
    if (failure === 'unreachable' && attempt > 0 && attempt < MAX_REJOIN_ATTEMPTS) {
      return rejoin(join, mine, attempt + 1);
    }
    setState({
      state: 'failed',
      roomId: join.room.id,
      failure,
      detail: failureMessage(failure) ?? undefined,
      canRetry: failure !== 'removed',
    });
    return false;
  }

  /**
   * @param {any} which
   * @param {number | undefined} reason
   */
  function onDisconnected(which, reason) {
    if (which !== room) return;
    forget(which);
    const join = target;
    if (!join) return;
    if (shouldRejoin(reason)) {
      void rejoin(join, seq, 1);
      return;
    }
    const removed = removedByServer(reason);
    setState({
      state: 'not-connected',
      roomId: join.room.id,
      failure: removed ? 'removed' : 'ended',
      detail: removed ? 'You were removed from the call' : 'The call ended',
      canRetry: !removed,
    });
  }

  /**
   * Waits, then reconnects with a fresh token; a failed attempt that looks like the network
   * schedules the next one, up to MAX_REJOIN_ATTEMPTS.
   * @param {JoinResponse} join
   * @param {number} mine
   * @param {number} attempt
   * @returns {Promise<boolean>}
   */
  async function rejoin(join, mine, attempt) {
    setState({ state: 'reconnecting', roomId: join.room.id, attempt, detail: rejoinText(attempt) });
    await sleep(rejoinDelay(attempt, deps.random));
    if (mine !== seq) return false;
    const fresh = await freshJoin(join, mine);
    if (!fresh || mine !== seq) return false;
    return open(fresh, mine, attempt);
  }

  /**
   * The join response to reconnect with: a new one from the server when possible (tokens are
   * short-lived), else the last one. A server that now refuses the join ends the attempts.
   * @param {JoinResponse} join
   * @param {number} mine
   * @returns {Promise<JoinResponse | null>}
   */
  async function freshJoin(join, mine) {
    if (!deps.refreshJoin) return join;
    try {
      return await deps.refreshJoin(join.room.id);
    } catch (error) {
      if (mine !== seq) return null;
      const status = /** @type {{ status?: number }} */ (error)?.status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        setState({ state: 'failed', roomId: join.room.id, failure: 'refused', detail: errorText(error) });
        return null;
      }
      // Our own server is unreachable too: the old token may still get us in.
      return join;
    }
  }

  /**
   * @param {string | undefined} key
   * @returns {Promise<{ options: { keyProvider: any, worker: Worker } | null, worker: Worker | null, status: E2eeSetup }>}
   */
  async function prepareE2ee(key) {
    /**
     * @param {E2eeSetup} status
     * @returns {{ options: { keyProvider: any, worker: Worker } | null, worker: Worker | null, status: E2eeSetup }}
     */
    const none = (status) => ({ options: null, worker: null, status });
    if (!key) return none('no-key');
    if (!deps.sdk.isE2EESupported()) return none('unsupported');
    let created;
    try {
      created = deps.createWorker();
    } catch (error) {
      log.warn('E2EE worker unavailable, falling back to transport encryption only', error);
      return none('worker-failed');
    }
    const keyProvider = new deps.sdk.ExternalE2EEKeyProvider();
    // The base64 string itself is the passphrase (PBKDF2 in the SDK), exactly as 1.x clients use
    // it; decoding it first would derive a different key and split mixed rooms in two.
    await keyProvider.setKey(key);
    return { options: { keyProvider, worker: created }, worker: created, status: 'on' };
  }

  /**
   * @param {any} next
   * @param {E2eeSetup} status
   * @returns {Promise<E2eeSetup>}
   */
  async function enableE2ee(next, status) {
    if (status !== 'on') return status;
    try {
      await next.setE2EEEnabled(true);
      return 'on';
    } catch (error) {
      log.warn('could not enable E2EE, continuing with transport encryption', error);
      return 'enable-failed';
    }
  }

  async function teardown() {
    const old = room;
    if (!old) return;
    forget(old);
    try {
      await old.disconnect();
    } catch (error) {
      log.warn('disconnecting the previous room failed', error);
    }
  }

  /** @param {any} which */
  function forget(which) {
    if (room !== which) return;
    room = null;
    deps.onRoomGone(which);
    worker?.terminate?.();
    worker = null;
  }

  /** @param {number} ms */
  function sleep(ms) {
    return new Promise((resolve) => timers.set(() => resolve(undefined), ms));
  }

  return {
    connect,
    disconnect,
    retry,
    get state() {
      return current;
    },
    get room() {
      return room;
    },
    get target() {
      return target;
    },
  };
}

/** What our own deadline means: the same as the SDK giving up on an unreachable server. */
const TIMED_OUT = Object.freeze({ name: 'ConnectionError', reason: ConnectionErrorReason.ServerUnreachable });

/** @param {number} attempt */
function rejoinText(attempt) {
  return `Reconnecting (attempt ${attempt} of ${MAX_REJOIN_ATTEMPTS})…`;
}

/** @param {unknown} error */
function errorText(error) {
  const message = /** @type {{ message?: unknown }} */ (error)?.message;
  return typeof message === 'string' && message ? message : 'The server refused to rejoin the room';
}
