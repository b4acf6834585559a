// The people in my room, as tiles (the media layer adds video and speaking rings to these
// later), with each person's menu (ui/person-menu.js) and the whispers markings; and the
// whispers chain itself.

import { placeholderText } from '../lib/announcements.js';
import { personInitial } from '../lib/format.js';
import { currentChain, roomMembers, whisperSource, whispersOn } from '../lib/selectors.js';
import { byId, el, icon, keyedList, setAttr, setText, show } from './dom.js';

export class RoomPeople {
  /** @param {import('../lib/controller.js').RoomController} controller @param {import('./person-menu.js').PersonMenu} menu */
  constructor(controller, menu) {
    this.controller = controller;
    this.menu = menu;
    this.section = byId('room-people');
    this.grid = byId('tile-grid');
    this.placeholder = byId('placeholder');
    this.chainSection = byId('whispers-chain');
    this.chainList = byId('chain-list');
  }

  render() {
    const { state } = this.controller;
    const roomId = state.currentRoomId;
    show(this.placeholder, roomId === null);
    setText(this.placeholder, placeholderText({
      pending: state.pendingJoinRoomId !== null,
      rooms: state.rooms.size,
      realtime: this.controller.ui.realtime,
    }));
    const members = roomId === null ? [] : roomMembers(state, roomId);
    show(this.section, members.length > 0);
    const whispering = whispersOn(state);
    const chain = currentChain(state);
    const source = whispering ? whisperSource(chain, state.me.id) : null;
    keyedList(this.grid, members, {
      key: (user) => user.id,
      create: (user) => this.createTile(user.id),
      update: (node, user) => this.updateTile(node, user, whispering, source?.userId ?? null),
    });
    this.menu.refresh();
    show(this.chainSection, whispering && chain.length > 0);
    keyedList(this.chainList, chain, {
      key: (entry) => entry.userId,
      create: (entry) => el('li', { className: 'chain-entry', dataset: { userId: entry.userId } }),
      update: (node, entry) => {
        const tags = [entry.userId === state.me.id ? 'you' : '', entry.userId === source?.userId && entry.userId !== state.me.id ? 'you hear them' : '']
          .filter(Boolean);
        setText(node, tags.length ? `${entry.displayName} (${tags.join(', ')})` : entry.displayName);
        node.classList.toggle('is-me', entry.userId === state.me.id);
        node.classList.toggle('is-source', entry.userId === source?.userId);
      },
    });
  }

  /** @param {number} userId */
  createTile(userId) {
    const options = el('button', {
      className: 'icon-button tile-options',
      attrs: { type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' },
    }, icon('more'));
    options.addEventListener('click', () => {
      const user = roomMembers(this.controller.state, this.controller.state.currentRoomId ?? -1).find((u) => u.id === userId);
      if (user) this.menu.toggle(options, user);
    });
    return el('li', { className: 'tile', dataset: { userId } },
      el('div', { className: 'tile-media' }, el('span', { className: 'avatar tile-avatar', attrs: { 'aria-hidden': 'true' } })),
      el('div', { className: 'tile-footer' }, el('span', { className: 'tile-name' }), el('span', { className: 'tile-badge' }), options));
  }

  /** @param {HTMLElement} node @param {any} user @param {boolean} whispering @param {number|null} sourceId */
  updateTile(node, user, whispering, sourceId) {
    const { state } = this.controller;
    const me = user.id === state.me.id;
    setText(/** @type {HTMLElement} */ (node.querySelector('.tile-avatar')), personInitial(user.display_name));
    setText(/** @type {HTMLElement} */ (node.querySelector('.tile-name')), me ? `${user.display_name} (You)` : user.display_name);
    const isSource = whispering && !me && user.id === sourceId;
    node.classList.toggle('is-me', me);
    node.classList.toggle('is-source', isSource);
    node.classList.toggle('is-dimmed', whispering && !me && !isSource);
    setText(/** @type {HTMLElement} */ (node.querySelector('.tile-badge')), isSource ? 'Your source' : '');
    const options = /** @type {HTMLElement} */ (node.querySelector('.tile-options'));
    const menu = this.menu.view(user);
    // Offered only when it holds something: a vote that can start, or their sound in my call.
    show(options, menu.any || options.getAttribute('aria-expanded') === 'true');
    setAttr(options, 'aria-label', menu.opener);
  }
}
