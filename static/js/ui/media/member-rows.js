// Decorates the room list's member rows (built by ui/rooms-panel.js) of the room I am in: the
// speaking dot and a local-mute speaker button for everyone but me. Rows of other rooms carry
// no call state, since speaking is only known for the call I am in.

import { localMuteLabel } from '../../media/models/stage-model.js';
import { el, setAttr, show } from '../dom.js';
import { withToggleIcons } from './stage-dom.js';

/**
 * @typedef {object} RowsContext
 * @property {number | null} roomId
 * @property {Map<number, { username: string, display_name: string }>} members   by user id
 * @property {number} meId
 * @property {Map<string, import('../../media/models/participants-model.js').CallParticipant>} participants
 * @property {Set<string>} muted
 */

export class MemberRowDecorator {
  /**
   * @param {HTMLElement} list  #room-list
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} layer
   */
  constructor(list, layer) {
    this.list = list;
    this.layer = layer;
    /** @type {WeakMap<HTMLElement, { button: HTMLButtonElement, identity: string }>} */
    this.parts = new WeakMap();
    /** Rows decorated last time, to undo when someone moves out of my room. @type {Set<HTMLElement>} */
    this.decorated = new Set();
  }

  /** @param {RowsContext} context */
  render(context) {
    const rows = context.roomId === null ? [] : this.rowsOf(context.roomId);
    const now = new Set();
    for (const row of rows) {
      const user = context.members.get(Number(row.dataset.userId));
      if (!user) continue;
      now.add(row);
      this.decorate(row, user, context);
    }
    for (const row of this.decorated) {
      if (now.has(row)) continue;
      row.classList.remove('is-speaking', 'is-locally-muted');
      const parts = this.parts.get(row);
      if (parts) show(parts.button, false);
    }
    this.decorated = now;
  }

  /** @param {number} roomId @returns {HTMLElement[]} */
  rowsOf(roomId) {
    const item = [...this.list.children].find(
      (node) => node instanceof HTMLElement && node.dataset.roomId === String(roomId),
    );
    return item ? /** @type {HTMLElement[]} */ ([...item.querySelectorAll('.member-row[data-user-id]')]) : [];
  }

  /**
   * @param {HTMLElement} row @param {{ username: string, display_name: string }} user
   * @param {RowsContext} context
   */
  decorate(row, user, context) {
    const parts = this.parts.get(row) ?? this.build(row);
    parts.identity = user.username;
    const isMe = Number(row.dataset.userId) === context.meId;
    const muted = !isMe && context.muted.has(user.username);
    row.classList.toggle('is-speaking', Boolean(context.participants.get(user.username)?.speaking));
    row.classList.toggle('is-locally-muted', muted);
    show(parts.button, !isMe);
    setAttr(parts.button, 'aria-pressed', muted ? 'true' : 'false');
    setAttr(parts.button, 'aria-label', localMuteLabel(user.display_name));
    setAttr(parts.button, 'title', localMuteLabel(user.display_name));
  }

  /** @param {HTMLElement} row */
  build(row) {
    const button = /** @type {HTMLButtonElement} */ (
      withToggleIcons(
        el('button', { className: 'icon-button member-mute', attrs: { type: 'button', 'aria-pressed': 'false' } }),
        'volume-off',
        'volume',
      )
    );
    const parts = { button, identity: '' };
    button.addEventListener('click', () => this.layer.toggleLocalMute(parts.identity));
    row.append(button);
    this.parts.set(row, parts);
    return parts;
  }
}
