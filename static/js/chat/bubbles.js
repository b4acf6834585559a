// 2.x's speech bubbles on the sender's tile, as data: lines within 3 s join the newest bubble,
// a bubble lives 15 s after its last line, a tile shows at most 3. No DOM, no timers: callers
// pass the time and ask what is showing now.

export const MERGE_MS = 3000;
export const LIFE_MS = 15000;
export const MAX_PER_TILE = 3;

/**
 * @typedef {{id: number, text?: string, imageId?: string}} BubbleLine
 * @typedef {{key: number, lines: BubbleLine[], lastAt: number, mine: boolean}} Bubble
 */

export class Bubbles {
  constructor() {
    /** @type {Map<number, Bubble[]>} sender's user id -> bubbles, oldest first */
    this.byUser = new Map();
    this.serial = 0;
  }

  /**
   * A line from `userId` at `now` (ms).
   * @param {number} userId @param {BubbleLine} line @param {number} now @param {boolean} mine
   */
  add(userId, line, now, mine) {
    const bubbles = this.current(userId, now);
    const newest = bubbles[bubbles.length - 1];
    if (newest && now - newest.lastAt <= MERGE_MS) {
      newest.lines.push(line);
      newest.lastAt = now;
    } else {
      bubbles.push({ key: ++this.serial, lines: [line], lastAt: now, mine });
    }
    this.byUser.set(userId, bubbles.slice(-MAX_PER_TILE));
  }

  /** The bubbles showing on `userId`'s tile at `now`. @param {number} userId @param {number} now */
  current(userId, now) {
    const live = (this.byUser.get(userId) ?? []).filter((bubble) => now - bubble.lastAt < LIFE_MS);
    if (live.length) this.byUser.set(userId, live);
    else this.byUser.delete(userId);
    return live;
  }

  /** Takes a deleted line out of whichever bubble holds it. @param {number} id */
  remove(id) {
    for (const [userId, bubbles] of this.byUser) {
      for (const bubble of bubbles) bubble.lines = bubble.lines.filter((line) => line.id !== id);
      const left = bubbles.filter((bubble) => bubble.lines.length > 0);
      if (left.length) this.byUser.set(userId, left);
      else this.byUser.delete(userId);
    }
  }

  /** Drops everything (another room). */
  clear() {
    this.byUser.clear();
  }
}
