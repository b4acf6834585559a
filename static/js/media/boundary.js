// The one boundary between the room page and the media layer. pages/room.js builds it and hands
// it to the controller; everything between the two goes through it:
//   page → media: joins and leaves (`connect`, `disconnect`), page moments that have a sound
//                 (`moment`), the whispers chain (`setWhispers`); a fresh join for a rejoin
//                 comes back through `refreshJoin`;
//   media → page: the call's connection state (`onState`, `current`).
// Until a media layer is attached, a join is only remembered and the state says media is not
// connected; the layer, once attached, receives the current room and chain at once.

import { createEmitter } from '../lib/emitter.js';

/**
 * @typedef {{token: string, e2eeKey: string, room: {id: number, name: string}, wsUrl: string}} JoinResponse
 * @typedef {{state: 'idle'|'not-connected'|'connecting'|'connected'|'reconnecting'|'failed',
 *   roomId: number|null, detail?: string}} MediaState
 * @typedef {{active: boolean, chain: Array<{username: string, position: number}>}} Whispers
 * @typedef {object} AttachedLayer
 * @property {(join: JoinResponse) => Promise<void>} connect
 * @property {() => Promise<void>} disconnect
 * @property {(whispers: Whispers) => void} setWhispers
 * @property {SoundboardControls} [soundboard]
 * @typedef {import('./adapters/soundboard-track.js').SoundboardTrack & {
 *   volume: () => number, hearing: () => number, setHearing: (volume: number) => void}} SoundboardControls
 */

export class MediaBoundary {
  /** @param {{ refreshJoin?: (roomId: number) => Promise<JoinResponse> }} [deps] */
  constructor({ refreshJoin } = {}) {
    /** A fresh join response for a rejoin (a new token), from the server. */
    this.refreshJoin = refreshJoin;
    /** @type {JoinResponse|null} */
    this.target = null;
    /** @type {MediaState} */
    this.current = { state: 'idle', roomId: null };
    /** @type {Whispers} */
    this.whispers = { active: false, chain: [] };
    /** @type {AttachedLayer|null} */
    this.layer = null;
    this.events = createEmitter();
    this.whispersKey = '';
  }

  /** Plugs in the media layer; a room already joined and its chain reach it at once. @param {AttachedLayer} layer */
  async attach(layer) {
    this.layer = layer;
    layer.setWhispers(this.whispers);
    if (this.target) await layer.connect(this.target);
  }

  /** Connect to the room a join response describes (replacing any other). @param {JoinResponse} join */
  async connect(join) {
    this.target = join;
    if (this.layer) {
      await this.layer.connect(join);
      return;
    }
    this.report({ state: 'not-connected', roomId: join.room.id, detail: 'media not connected' });
  }

  async disconnect() {
    const had = this.target !== null;
    this.target = null;
    if (this.layer && had) await this.layer.disconnect();
    this.report({ state: 'idle', roomId: null });
  }

  /**
   * Something happened on the page that the call may sound (names: "room-connected",
   * "peer-joined", "peer-left", "vote-started", "jailed", "released").
   * @param {string} name @param {any} payload
   */
  moment(name, payload) {
    this.events.emit(`moment:${name}`, payload);
  }

  /** @param {string} name @param {(payload: any) => void} listener */
  onMoment(name, listener) {
    return this.events.on(`moment:${name}`, listener);
  }

  /** The room's whispers chain as the page knows it; passed on only when it changes. @param {Whispers} whispers */
  setWhispers(whispers) {
    const key = JSON.stringify([whispers.active, whispers.chain.map((e) => [e.username, e.position])]);
    if (key === this.whispersKey) return;
    this.whispersKey = key;
    this.whispers = whispers;
    this.layer?.setWhispers(whispers);
  }

  /** My clips into the call (and their volumes), once a media layer is attached. */
  get soundboard() {
    return this.layer?.soundboard ?? null;
  }

  /** @param {(state: MediaState) => void} listener */
  onState(listener) {
    return this.events.on('state', listener);
  }

  /** The media layer's connection state, for the header and banners. @param {MediaState} state */
  report(state) {
    this.current = state;
    this.events.emit('state', state);
  }
}
