// The soundboard's state, without the DOM: every clip (kept in step with the server's
// soundboard:created and soundboard:deleted), and who plays what in my room now
// (soundboard:playing, matched by username; a newer play replaces the older one).

import { createEmitter } from '../lib/emitter.js';

/**
 * @typedef {{id: number, name: string, mime_type: string, size: number, uploaded_by: number,
 *   created_at: string, uploaderName: string, durationMs?: number}} Clip
 * @typedef {{user: {id: number, username: string, display_name: string}, clipName: string,
 *   durationMs?: number}} Playing
 */

/** 2.x showed a play for 10 s when the event gave no length. */
export const DEFAULT_PLAY_MS = 10_000;

export class SoundboardModel {
  /** @param {{now?: () => number}} [deps] */
  constructor({ now = () => Date.now() } = {}) {
    this.now = now;
    /** @type {Clip[]} newest first */
    this.clips = [];
    /** @type {Map<string, {clipName: string, until: number}>} username → what they play */
    this.playing = new Map();
    this.events = createEmitter();
  }

  /** @param {() => void} listener */
  subscribe(listener) {
    return this.events.on('change', listener);
  }

  changed() {
    this.events.emit('change', undefined);
  }

  /** @param {Clip[]} clips */
  setClips(clips) {
    this.clips = [...clips];
    this.changed();
  }

  /** @param {Clip} clip */
  add(clip) {
    if (this.clips.some((c) => c.id === clip.id)) return;
    this.clips = [clip, ...this.clips];
    this.changed();
  }

  /** @param {number} clipId */
  remove(clipId) {
    const before = this.clips.length;
    this.clips = this.clips.filter((clip) => clip.id !== clipId);
    if (this.clips.length !== before) this.changed();
  }

  /** @param {Playing} event */
  played(event) {
    const ms = typeof event.durationMs === 'number' ? event.durationMs : DEFAULT_PLAY_MS;
    this.playing.set(event.user.username, { clipName: event.clipName, until: this.now() + ms });
    this.changed();
  }

  /** What `username` plays now, or null. @param {string} username */
  nowPlaying(username) {
    const entry = this.playing.get(username);
    if (!entry) return null;
    if (entry.until <= this.now()) {
      this.playing.delete(username);
      return null;
    }
    return entry.clipName;
  }

  /** Realtime frames that concern the soundboard. @param {string} type @param {any} data */
  handleFrame(type, data) {
    if (type === 'soundboard:created' && data?.clip) this.add(data.clip);
    else if (type === 'soundboard:deleted' && typeof data?.clipId === 'number') this.remove(data.clipId);
    else if (type === 'soundboard:playing' && data?.user?.username) this.played(data);
  }

  /** A room change forgets who was playing where. */
  clearPlaying() {
    if (!this.playing.size) return;
    this.playing.clear();
    this.changed();
  }
}
