// The presence WebSocket: connects, hands over every frame, reconnects with backoff, and
// says why when the server refuses it. No DOM; the socket class and timers are injected.

import { backoffDelay } from './backoff.js';

export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_TOO_MANY = 4429;
export const CLOSE_SERVER_FULL = 4503;

/** A connection that hears nothing (not even the 30 s server ping) for this long is dead. */
const SILENCE_MS = 75000;
const CLIENT_PING_MS = 25000;

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
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
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
    if (frame.type === 'hello') this.attempt = 0;
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
    this.timers.clear(this.pingTimer);
    this.silenceTimer = this.timers.set(() => {
      if (this.socket === socket) socket.close(4000);
    }, SILENCE_MS);
    // Our own ping makes the server answer, so a half-open connection shows up as silence.
    this.pingTimer = this.timers.set(() => this.send({ type: 'ping' }), CLIENT_PING_MS);
  }

  /** @param {any} socket @param {number} code */
  closed(socket, code) {
    if (this.socket !== socket) return;
    this.socket = null;
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
