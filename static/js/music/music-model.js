// The room's music player as the page knows it: loaded once from /api/music/status, then kept
// by `music:status` frames; and the actions of the popover, each a call to /api/music/*.

import { createEmitter } from '../lib/emitter.js';

export class MusicModel {
  /**
   * @param {{api: any, roomId: () => number | null}} deps
   */
  constructor({ api, roomId }) {
    this.api = api;
    this.roomId = roomId;
    /** @type {import('./music-view-model.js').MusicStatus | null} */
    this.status = null;
    this.error = '';
    /** @type {number | null} */
    this.loadedFor = null;
    /** @type {ReturnType<typeof createEmitter<void>>} */
    this.events = createEmitter();
  }

  /** @param {() => void} listener */
  subscribe(listener) {
    return this.events.on('change', listener);
  }

  changed() {
    this.events.emit('change', undefined);
  }

  /** Loads the status of my room once per room (frames keep it after that). */
  async ensureLoaded() {
    const roomId = this.roomId();
    if (roomId === null || this.loadedFor === roomId) return;
    this.loadedFor = roomId;
    this.status = null;
    try {
      const status = await this.api.request('GET', `/api/music/status?roomId=${roomId}`);
      if (this.roomId() === roomId) this.status = status;
    } catch (error) {
      this.loadedFor = null;
      this.error = error instanceof Error ? error.message : String(error);
    }
    this.changed();
  }

  /** @param {string} type @param {any} data */
  handleFrame(type, data) {
    if (type !== 'music:status' || !data || data.roomId !== this.roomId()) return;
    this.status = data;
    this.loadedFor = data.roomId;
    this.changed();
  }

  /** @param {string} route @param {Record<string, unknown>} [body] */
  async act(route, body = {}) {
    this.error = '';
    try {
      await this.api.request('POST', `/api/music/${route}`, { body: { roomId: this.roomId(), ...body } });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
    this.changed();
  }

  pause() { return this.act('pause'); }
  skip() { return this.act('skip'); }
  /** @param {string} stationId */
  station(stationId) { return this.act('station', { stationId }); }
  /** @param {string} id */
  remove(id) { return this.act('remove', { id }); }
  /** @param {string} url */
  enqueue(url) { return this.act('queue', { url }); }
  /** @param {{enabled?: boolean, locked?: boolean}} settings */
  configure(settings) { return this.act('settings', settings); }

  /** @param {File} file */
  async upload(file) {
    const form = new FormData();
    form.append('file', file);
    form.append('roomId', String(this.roomId()));
    this.error = '';
    try {
      await this.api.request('POST', '/api/music/upload', { form, fallback: 'Upload failed' });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
    this.changed();
  }
}
