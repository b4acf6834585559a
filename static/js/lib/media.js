// The seam between the room page and the media layer (LiveKit: voice, video, screen share).
// The room page hands every successful join response to `connect` and calls `disconnect`
// when it leaves; the media layer reports its state through `set`, and the page listens with
// `onState`. Until a media layer is attached, a join only records its target and the state
// says media is not connected.

import { createEmitter } from './emitter.js';

/**
 * @typedef {{token: string, e2eeKey: string, room: {id: number, name: string}, wsUrl: string}} JoinResponse
 * @typedef {{state: 'idle'|'not-connected'|'connecting'|'connected'|'reconnecting'|'failed',
 *   roomId: number|null, detail?: string}} MediaState
 * @typedef {{connect: (join: JoinResponse) => Promise<void>, disconnect: () => Promise<void>}} MediaLayer
 */

export class MediaSession {
  constructor() {
    /** @type {JoinResponse|null} */
    this.target = null;
    /** @type {MediaState} */
    this.current = { state: 'idle', roomId: null };
    /** @type {MediaLayer|null} */
    this.layer = null;
    this.events = createEmitter();
  }

  /**
   * Plugs in the real media layer; it reports its progress with `set`. A room already joined
   * is connected at once.
   * @param {MediaLayer} layer
   */
  async attach(layer) {
    this.layer = layer;
    if (this.target) await layer.connect(this.target);
  }

  /** Connect to the room a join response describes (replacing any other). @param {JoinResponse} join */
  async connect(join) {
    this.target = join;
    if (this.layer) {
      await this.layer.connect(join);
      return;
    }
    this.set({ state: 'not-connected', roomId: join.room.id, detail: 'media not connected' });
  }

  async disconnect() {
    const had = this.target !== null;
    this.target = null;
    if (this.layer && had) await this.layer.disconnect();
    this.set({ state: 'idle', roomId: null });
  }

  /** @param {(state: MediaState) => void} listener */
  onState(listener) {
    return this.events.on('state', listener);
  }

  /** @param {MediaState} state */
  set(state) {
    this.current = state;
    this.events.emit('state', state);
  }
}

/** The page's one media session. */
export const media = new MediaSession();

/** @param {JoinResponse} join */
export const connect = (join) => media.connect(join);
export const disconnect = () => media.disconnect();
