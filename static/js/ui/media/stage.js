// Video on the people tiles, speaking rings, spotlight and the room list's speaking dots.
//
// The tiles and room list rows belong to ui/room-people.js and ui/rooms-panel.js, which render
// just before this from presence; this view decorates their nodes with the call's state.

import { roomMembers } from '../../lib/selectors.js';
import { localMuteSet, participantsFor } from '../../media/models/stage-model.js';
import { createTrackBinder } from '../../media/adapters/video-binder.js';
import { byId } from '../dom.js';
import { MemberRowDecorator } from './member-rows.js';
import { Spotlight } from './spotlight.js';
import { TileDecorator } from './tiles.js';

export class MediaStage {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ layer, controller }) {
    this.layer = layer;
    this.controller = controller;
    /** @type {import('../../media/adapters/video-binder.js').TrackBinder} */
    this.binder = createTrackBinder();
    /** @type {number | null | undefined} */
    this.roomId = undefined;
  }

  mount() {
    this.grid = byId('tile-grid');
    this.spotlight = new Spotlight({
      root: byId('media-stage'),
      layer: this.layer,
      binder: this.binder,
      rerender: () => this.renderSpotlight(this.layer.getState()),
    });
    this.spotlight.mount();
    this.tiles = new TileDecorator({
      layer: this.layer,
      binder: this.binder,
      openSpotlight: (identity, source, opener) => this.spotlight?.open({ identity, source }, opener),
    });
    this.rows = new MemberRowDecorator(byId('room-list'), this.layer);
  }

  /** @param {import('../../media/models/media-snapshot.js').MediaSnapshot} snapshot */
  render(snapshot) {
    if (!this.grid || !this.tiles || !this.rows) return;
    const { state } = this.controller;
    const roomId = state.currentRoomId;
    // Moving to another room ends the spotlight (1.x §5.3); a reconnect keeps it if the video returns.
    if (roomId !== this.roomId) {
      this.roomId = roomId;
      this.spotlight?.reset();
    }
    const members = roomId === null ? [] : roomMembers(state, roomId);
    const byUser = new Map(members.map((user) => [user.id, user]));
    const participants = participantsFor(snapshot, roomId);
    const muted = localMuteSet(snapshot.participants, this.layer.settings.get('localMutes'));
    for (const tile of this.grid.children) {
      const user = tile instanceof HTMLElement ? byUser.get(Number(tile.dataset.userId)) : undefined;
      if (!user) continue;
      const isMe = user.id === state.me.id;
      this.tiles.render(/** @type {HTMLElement} */ (tile), {
        user,
        isMe,
        participant: participants.get(user.username) ?? null,
        muted: !isMe && muted.has(user.username),
      });
    }
    this.rows.render({ roomId, members: byUser, meId: state.me.id, participants, muted });
    this.renderSpotlight(snapshot);
    // Tiles removed by room-people took their <video>s with them: let go of their tracks.
    this.binder.sweep((video) => /** @type {HTMLElement} */ (video).isConnected);
  }

  /** @param {import('../../media/models/media-snapshot.js').MediaSnapshot} snapshot */
  renderSpotlight(snapshot) {
    const { state } = this.controller;
    const members = state.currentRoomId === null ? [] : roomMembers(state, state.currentRoomId);
    this.spotlight?.render({
      participants: participantsFor(snapshot, state.currentRoomId),
      nameOf: (identity) => members.find((user) => user.username === identity)?.display_name ?? '',
    });
  }
}
