// The seam between the room page and the media layer (LiveKit: voice, video, screen share).
// The room page hands every successful join response to `connect` and calls `disconnect`
// when it leaves; the media layer reports its state through `onState`. Until the media layer
// is plugged in, a join only records its target and the state says media is not connected.

import { createEmitter } from './emitter.js';

/**
 * @typedef {{token: string, e2eeKey: string, room: {id: number, name: string}, wsUrl: string}} JoinResponse
 * @typedef {{state: 'idle'|'not-connected'|'connecting'|'connected'|'reconnecting'|'failed',
 *   roomId: number|null, detail?: string}} MediaState
 */

export class MediaSession {
  constructor() {
    /** @type {JoinResponse|null} */
    this.target = null;
    /** @type {MediaState} */
    this.current = { state: 'idle', roomId: null };
    this.events = createEmitter();
  }

  /** Connect to the room a join response describes (replacing any other). @param {JoinResponse} join */
  async connect(join) {
    this.target = join;
    this.set({ state: 'not-connected', roomId: join.room.id, detail: 'media not connected' });
  }

  async disconnect() {
    this.target = null;
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
