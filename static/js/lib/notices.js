// The page's messages to people, in one list, newest first. No DOM, so it is unit-tested.
//
// Meaning decides colour and life: an error stays until dismissed (or until what it was about
// no longer applies); information, warnings and successes leave by themselves. A notice about
// one room goes when I am no longer there, so nothing survives a room change that no longer
// applies.

/** How long a notice that is not an error stays up. */
export const NOTICE_MS = 8000;
/** More than this many at once is a pile: the oldest go first. */
const MAX_SHOWN = 4;

/**
 * @typedef {'error'|'warning'|'info'|'success'} NoticeKind
 * @typedef {{id: number, kind: NoticeKind, text: string, roomId: number|null, expiresAt: number|null}} Notice
 */

export class Notices {
  /** @param {{now?: () => number}} [options] */
  constructor({ now = () => Date.now() } = {}) {
    this.now = now;
    /** @type {Notice[]} newest first */
    this.items = [];
    this.serial = 0;
  }

  /**
   * Shows a notice; the same text again replaces the old one and moves it to the top.
   * @param {NoticeKind} kind @param {string} text @param {{roomId?: number|null}} [options]
   * @returns {number} its id
   */
  add(kind, text, { roomId = null } = {}) {
    const expiresAt = kind === 'error' ? null : this.now() + NOTICE_MS;
    const notice = { id: ++this.serial, kind, text, roomId, expiresAt };
    this.items = [notice, ...this.items.filter((item) => item.text !== text)];
    // A pile loses its oldest passing notice first: an error waits for its reader.
    while (this.items.length > MAX_SHOWN) {
      const oldest = this.items.findLastIndex((item) => item.kind !== 'error');
      this.items.splice(oldest === -1 ? this.items.length - 1 : oldest, 1);
    }
    return notice.id;
  }

  /** @param {number} id */
  dismiss(id) {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.id !== id);
    return this.items.length !== before;
  }

  /** Drops every notice of this kind (say, errors a successful retry answers). @param {NoticeKind} kind */
  dismissKind(kind) {
    this.items = this.items.filter((item) => item.kind !== kind);
  }

  /** I am now in `roomId` (or none): notices about any other room no longer apply. @param {number|null} roomId */
  roomChanged(roomId) {
    this.items = this.items.filter((item) => item.roomId === null || item.roomId === roomId);
  }

  /** The notices still up, newest first; expired ones are forgotten. */
  current() {
    const now = this.now();
    this.items = this.items.filter((item) => item.expiresAt === null || item.expiresAt > now);
    return this.items;
  }

  /** The newest notice of a kind, if any. @param {NoticeKind} kind */
  latest(kind) {
    return this.current().find((item) => item.kind === kind) ?? null;
  }
}
