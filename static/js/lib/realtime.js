// The presence WebSocket: connects, hands over every frame, reconnects with backoff, and
// says why when the server refuses it. No DOM; the socket class and timers are injected.
//
// Our pings are the page's heartbeat: if the line dies, a client heard from in the last 10 s
// keeps its place for the server's long grace (15 s), like 2.x's POST /api/events/ping. A
// reload closes the socket with 1001, which the server also counts as heard; `stop` closes
// with 1000, which it takes as leaving when the page holds the user's last connection.

import { backoffDelay } from './backoff.js';

export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_TOO_MANY = 4429;
export const CLOSE_SERVER_FULL = 4503;

/** A connection that hears nothing (not even the 30 s server ping) for this long is dead. */
const SILENCE_MS = 75000;
/** Every 8 s, as 2.x clients heartbeat: within the server's 10 s freshness, with room to spare. */
const HEARTBEAT_MS = 8000;

/**
 * @typedef {{state: 'connecting'|'open'|'reconnecting'|'refused'|'unauthenticated'|'stopped',
 *   reason?: 'too-many-tabs'|'server-full', retryInMs?: number}} Status
 */

export class RealtimeClient {
  /**
   * @param {{url: string, onFrame: (type: string, data: any) => void, onStatus: (status: Status) => void,
   *   WebSocketImpl?: any, timers?: {set: typeof setTimeout, clear: typeof clearTimeout},
   *   random?: () => number}} options
   */
  constructor({ url, onFrame, onStatus, WebSocketImpl = globalThis.WebSocket, timers, random = Math.random }) {
    this.url = url;
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.WebSocketImpl = WebSocketImpl;
    this.timers = timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) };
    this.random = random;
    this.attempt = 0;
    /** @type {any} */
    this.socket = null;
    /** @type {any} */
    this.retryTimer = null;
    /** @type {any} */
    this.silenceTimer = null;
    /** @type {any} */
    this.pingTimer = null;
    /** This socket's id on the server (from its hello), for the leave beacon to name. @type {string|null} */
    this.connectionId = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  /** Closes for good, saying so (1000): with no other tab open, the server takes it as leaving. */
  stop() {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    this.connectionId = null;
    if (socket) socket.close(1000);
    this.onStatus({ state: 'stopped' });
  }

  /** Reconnect now (the "Retry" button, or the browser coming back online). */
  retryNow() {
    if (this.stopped) return;
    if (this.socket && this.socket.readyState <= 1) return;
    this.attempt = 0;
    this.clearTimers();
    this.open();
  }

  open() {
    this.onStatus({ state: this.attempt === 0 ? 'connecting' : 'reconnecting' });
    const socket = new this.WebSocketImpl(this.url);
    this.socket = socket;
    socket.onmessage = (/** @type {{data: any}} */ message) => this.receive(socket, message.data);
    socket.onclose = (/** @type {{code: number}} */ event) => this.closed(socket, event.code);
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.onStatus({ state: 'open' });
      this.watch(socket);
      this.beat(socket);
    };
  }

  /** @param {any} socket @param {any} raw */
  receive(socket, raw) {
    if (this.socket !== socket) return;
    this.watch(socket);
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      console.warn('ignored a realtime frame that is not JSON');
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    // Only a snapshot proves the server really took us: then later drops start backoff afresh.
    if (frame.type === 'hello') {
      this.attempt = 0;
      this.connectionId = typeof frame.data?.connection === 'string' ? frame.data.connection : null;
    }
    // Keepalives only prove the line is alive (the watchdog above has noted that).
    if (frame.type === 'ping' || frame.type === 'pong') return;
    if (frame.type === 'error') {
      console.warn('the realtime server refused a message:', frame.data?.error);
      return;
    }
    this.onFrame(frame.type, frame.data);
  }

  /** @param {any} message */
  send(message) {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  /** @param {any} socket */
  watch(socket) {
    this.timers.clear(this.silenceTimer);
    this.silenceTimer = this.timers.set(() => {
      if (this.socket === socket) socket.close(4000);
    }, SILENCE_MS);
  }

  /**
   * Pings every HEARTBEAT_MS however busy the line is: each is a heartbeat to the server, and
   * its pong proves the line, so a half-open connection shows up as silence.
   * @param {any} socket
   */
  beat(socket) {
    this.pingTimer = this.timers.set(() => {
      if (this.socket !== socket) return;
      this.send({ type: 'ping' });
      this.beat(socket);
    }, HEARTBEAT_MS);
  }

  /** @param {any} socket @param {number} code */
  closed(socket, code) {
    if (this.socket !== socket) return;
    this.socket = null;
    this.connectionId = null;
    this.clearTimers();
    if (this.stopped) return;
    if (code === CLOSE_UNAUTHENTICATED) {
      this.stopped = true;
      this.onStatus({ state: 'unauthenticated' });
      return;
    }
    // Over a cap: other tabs (or, after a crash, the dead process's connections until they
    // are reaped) hold the places, so retry slowly on our own as well as on request.
    const refused = code === CLOSE_TOO_MANY ? 'too-many-tabs' : code === CLOSE_SERVER_FULL ? 'server-full' : null;
    const delay = backoffDelay(this.attempt, { baseMs: refused ? 5000 : 500, maxMs: refused ? 120000 : 30000, random: this.random });
    this.attempt += 1;
    this.onStatus(refused ? { state: 'refused', reason: refused, retryInMs: delay } : { state: 'reconnecting', retryInMs: delay });
    this.retryTimer = this.timers.set(() => this.open(), delay);
  }

  clearTimers() {
    this.timers.clear(this.retryTimer);
    this.timers.clear(this.silenceTimer);
    this.timers.clear(this.pingTimer);
    this.retryTimer = this.silenceTimer = this.pingTimer = null;
  }
}
