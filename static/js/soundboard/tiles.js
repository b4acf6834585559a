// `🔊 <clip>` beside the name of whoever plays a clip, on their tile (ui/room-people.js's), for
// as long as the server said it plays; the tile glows as if they spoke.

import { byId, el, setText } from '../ui/dom.js';

export class SoundboardTiles {
  /**
   * @param {import('./model.js').SoundboardModel} model
   * @param {import('../lib/controller.js').RoomController} controller
   */
  constructor(model, controller) {
    this.model = model;
    this.controller = controller;
    this.grid = byId('tile-grid');
  }

  render() {
    const { state } = this.controller;
    const members = state.members.get(state.currentRoomId ?? -1) ?? [];
    /** @type {Map<string, string>} */
    const usernames = new Map(members.map((user) => [String(user.id), user.username]));
    for (const tile of this.grid.children) {
      if (!(tile instanceof HTMLElement) || tile.dataset.userId === undefined) continue;
      const username = usernames.get(tile.dataset.userId);
      const clip = username === undefined ? null : this.model.nowPlaying(username);
      let badge = /** @type {HTMLElement|null} */ (tile.querySelector('.soundboard-now'));
      tile.classList.toggle('is-soundboard', clip !== null);
      if (clip === null) {
        badge?.remove();
        continue;
      }
      if (!badge) {
        badge = el('span', { className: 'soundboard-now' });
        tile.querySelector('.tile-name')?.after(badge);
      }
      setText(badge, `🔊 ${clip}`);
    }
  }
}
