// Tiles for the bots in my call (DJ Tokoloshe, a pipe), each with a marquee of what it plays.
// They are not people of the room, so they live in their own list beside the people's tiles.

import { el, keyedList, setText } from '../ui/dom.js';
import { isBot, tileTitle } from './music-view-model.js';

export class BotTiles {
  /**
   * @param {object} deps
   * @param {import('./music-model.js').MusicModel} deps.music
   * @param {import('../lib/controller.js').RoomController} deps.controller
   */
  constructor({ music, controller }) {
    this.music = music;
    this.controller = controller;
  }

  mount() {
    this.list = el('ul', { className: 'tile-grid bot-tiles', attrs: { id: 'bot-tiles', 'aria-label': 'Music' } });
    document.getElementById('tile-grid')?.after(this.list);
  }

  /** @param {import('../media/models/media-snapshot.js').MediaSnapshot} snapshot */
  render(snapshot) {
    if (!this.list) return;
    const inCall = snapshot.connection.roomId !== null && snapshot.connection.roomId === this.controller.state.currentRoomId;
    const bots = inCall ? snapshot.participants.filter((p) => isBot(p.identity)) : [];
    keyedList(this.list, bots, {
      key: (p) => p.identity,
      create: (p) => el('li', { className: 'tile bot-tile', dataset: { identity: p.identity } },
        el('div', { className: 'tile-media bot-tile-media' },
          el('div', { className: 'marquee' }, el('span', { className: 'marquee-text' }))),
        el('div', { className: 'tile-footer' }, el('span', { className: 'tile-name' }))),
      update: (node, p) => {
        const title = tileTitle(p, this.music.status);
        const text = /** @type {HTMLElement} */ (node.querySelector('.marquee-text'));
        setText(text, title);
        text.title = title;
        setText(/** @type {HTMLElement} */ (node.querySelector('.tile-name')), p.name);
        node.classList.toggle('is-speaking', p.speaking);
      },
    });
  }
}
