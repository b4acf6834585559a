// The chat beside the call, without its DOM: the current room's lines (history, then live),
// sending with an image, deleting, unread counts per room, and the speech bubbles. The API, the
// page's hooks and the clock are injected, so every rule is unit-tested in node.

import { Bubbles } from './bubbles.js';
import { mentionsMe } from './text.js';

export const HISTORY_PAGE = 50;
const SENDER_GONE = 'Deleted user';

/**
 * @typedef {{id: number, username: string, display_name: string}} UserRef
 * @typedef {{id: number, roomId: number, user: UserRef|null, text?: string, imageId?: string,
 *   imageExpired?: boolean, ts: number}} ChatLine
 * @typedef {{roomId: () => number|null, meId: () => number, members: () => string[],
 *   meUsername: () => string}} RoomView
 */

export class ChatController {
  /**
   * @param {{api: any, hooks: {emit: (name: string, payload: any) => void}, room: RoomView,
   *   now?: () => number}} deps
   */
  constructor({ api, hooks, room, now = () => Date.now() }) {
    this.api = api;
    this.hooks = hooks;
    this.room = room;
    this.now = now;
    /** The room whose lines are held. @type {number|null} */
    this.roomId = null;
    /** @type {Map<number, ChatLine>} */
    this.lines = new Map();
    /** `before` for the next older page; null when the start is reached or nothing is loaded. */
    this.nextBefore = /** @type {number|null} */ (null);
    this.loading = false;
    this.sending = false;
    /** What the last failure said (shown under the box), with a serial to tell repeats apart. */
    this.error = /** @type {{message: string, serial: number}|null} */ (null);
    this.serial = 0;
    /** Lines not yet seen, per room: the current room's while the panel is shut, others' always. */
    this.unread = /** @type {Map<number, number>} */ (new Map());
    /** Whether the person can see the panel (open, page visible). */
    this.watching = true;
    this.bubbles = new Bubbles();
    /** @type {Set<() => void>} */
    this.listeners = new Set();
    this.loadSeq = 0;
  }

  /** @param {() => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify() {
    for (const listener of [...this.listeners]) listener();
  }

  /** The held lines, oldest first. */
  ordered() {
    return [...this.lines.values()].sort((a, b) => a.id - b.id);
  }

  /** @param {ChatLine} line */
  senderName(line) {
    return line.user ? line.user.display_name : SENDER_GONE;
  }

  /** @param {ChatLine} line */
  mentionsMe(line) {
    return Boolean(line.text) && mentionsMe(line.text ?? '', this.room.members(), this.room.meUsername());
  }

  // --- Following the room -------------------------------------------------------------------

  /** Call on every render: loads the history when the page shows another room. */
  follow() {
    const roomId = this.room.roomId();
    if (roomId === this.roomId) return;
    this.roomId = roomId;
    this.lines = new Map();
    this.nextBefore = null;
    this.error = null;
    this.bubbles.clear();
    if (roomId !== null) {
      this.unread.delete(roomId);
      void this.loadNewest();
    }
    this.notify();
  }

  /**
   * The newest page of the room, merged with what is held (lines that arrived meanwhile stay).
   * Also after a reconnect, to fill what was missed while the socket was down.
   */
  async loadNewest() {
    const roomId = this.roomId;
    if (roomId === null) return;
    const seq = ++this.loadSeq;
    this.loading = true;
    this.notify();
    try {
      const page = await this.api.chatHistory(roomId, { limit: HISTORY_PAGE });
      if (seq !== this.loadSeq || roomId !== this.roomId) return;
      const fresh = new Map((page.messages ?? []).map((/** @type {ChatLine} */ line) => [line.id, line]));
      const ids = [...fresh.keys()];
      const [oldest, newest] = [Math.min(...ids), Math.max(...ids)];
      // Held lines within the page's span that it lacks were deleted meanwhile; older ones were
      // loaded page by page, newer ones arrived while it was on its way.
      let olderHeld = false;
      for (const [id, line] of this.lines) {
        if (id < oldest) olderHeld = true;
        if (id < oldest || id > newest) fresh.set(id, line);
      }
      this.lines = fresh;
      if (!olderHeld) this.nextBefore = page.nextBefore ?? null;
    } catch (error) {
      if (seq === this.loadSeq) this.fail(error);
    } finally {
      if (seq === this.loadSeq) this.loading = false;
      this.notify();
    }
  }

  /** The page before the oldest line held. */
  async loadOlder() {
    const roomId = this.roomId;
    if (roomId === null || this.nextBefore === null || this.loading) return;
    this.loading = true;
    this.notify();
    try {
      const page = await this.api.chatHistory(roomId, { before: this.nextBefore, limit: HISTORY_PAGE });
      if (roomId !== this.roomId) return;
      for (const line of page.messages ?? []) this.lines.set(line.id, line);
      this.nextBefore = page.nextBefore ?? null;
    } catch (error) {
      this.fail(error);
    } finally {
      this.loading = false;
      this.notify();
    }
  }

  // --- Realtime -----------------------------------------------------------------------------

  /** @param {string} type @param {any} data */
  handleFrame(type, data) {
    if (type === 'hello') {
      // A (re)connect: whatever was said while the socket was down comes with the newest page.
      if (this.roomId !== null) void this.loadNewest();
    } else if (type === 'chat:message') this.received(data ?? {});
    else if (type === 'chat:deleted') this.deleted(data ?? {});
    else if (type === 'chat:activity') this.activity(data ?? {});
  }

  /** @param {ChatLine} line */
  received(line) {
    if (typeof line.id !== 'number' || line.roomId !== this.roomId) return;
    if (this.lines.has(line.id)) return;
    this.lines.set(line.id, line);
    const mine = line.user?.id === this.room.meId();
    if (line.user) this.bubbles.add(line.user.id, { id: line.id, text: line.text, imageId: line.imageId }, this.now(), mine);
    if (!mine) {
      if (!this.watching) this.bump(line.roomId);
      this.hooks.emit('chat-message', { line, mentionsMe: this.mentionsMe(line) });
    }
    this.notify();
  }

  /** @param {{id: number, roomId: number}} data */
  deleted({ id, roomId }) {
    if (roomId !== this.roomId) return;
    this.lines.delete(id);
    this.bubbles.remove(id);
    this.notify();
  }

  /** Someone wrote in a room: counted unless it is the one shown (its lines count themselves). @param {{roomId: number}} data */
  activity({ roomId }) {
    if (typeof roomId !== 'number' || roomId === this.roomId) return;
    this.bump(roomId);
    this.notify();
  }

  /** @param {number} roomId */
  bump(roomId) {
    this.unread.set(roomId, (this.unread.get(roomId) ?? 0) + 1);
  }

  /** The panel became visible or hidden to the person; seeing it reads the room. @param {boolean} watching */
  setWatching(watching) {
    if (this.watching === watching) return;
    this.watching = watching;
    if (watching && this.roomId !== null && this.unread.delete(this.roomId)) this.notify();
  }

  // --- Writing ------------------------------------------------------------------------------

  /**
   * Sends a line: the image first (if any), then the text with its id. Resolves true when sent;
   * on failure the error is shown and the caller keeps the draft.
   * @param {{text: string, image?: Blob|null}} draft
   */
  async send({ text, image = null }) {
    if (this.sending || (!text.trim() && !image)) return false;
    this.sending = true;
    this.error = null;
    this.notify();
    try {
      const body = /** @type {{text?: string, imageId?: string}} */ ({});
      if (text.trim()) body.text = text;
      if (image) body.imageId = (await this.api.chatImage(image)).imageId;
      await this.api.chatSend(body);
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    } finally {
      this.sending = false;
      this.notify();
    }
  }

  /** @param {number} id */
  async remove(id) {
    try {
      await this.api.chatDelete(id);
      this.deleted({ id, roomId: this.roomId ?? -1 });
    } catch (error) {
      this.fail(error);
    }
  }

  /** @param {unknown} error */
  fail(error) {
    const message = error instanceof Error && error.message ? error.message : 'Request failed';
    this.error = { message, serial: ++this.serial };
    this.notify();
  }

  clearError() {
    this.error = null;
    this.notify();
  }
}
