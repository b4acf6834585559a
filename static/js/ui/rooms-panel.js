// The rooms sidebar: every room I can see, who is in each, the current one marked; a delete
// button on rooms I created.

import { roomInitials } from '../lib/format.js';
import { canDelete, roomMembers, visibleRooms } from '../lib/selectors.js';
import { myPunishment } from '../lib/state.js';
import { el, icon, keyedList, setAttr, setText, show } from './dom.js';

/** @typedef {import('../lib/controller.js').RoomController} RoomController */

/** @param {any} value */
const isJail = (value) => value === true || value === 1;

export class RoomsPanel {
  /**
   * @param {HTMLElement} list
   * @param {RoomController} controller
   * @param {{onChoose: () => void, confirmDelete: (room: any) => Promise<boolean>,
   *   unread?: (roomId: number) => number}} actions  `unread`: chat lines not yet read there
   */
  constructor(list, controller, actions) {
    this.list = list;
    this.controller = controller;
    this.actions = actions;
  }

  render() {
    const { state } = this.controller;
    keyedList(this.list, visibleRooms(state), {
      key: (room) => room.id,
      create: (room) => this.createRow(room.id),
      update: (node, room) => this.updateRow(node, room),
    });
  }

  /** @param {number} roomId */
  createRow(roomId) {
    const button = el('button', {
      className: 'room-button',
      attrs: { type: 'button' },
      on: { click: () => this.choose(roomId) },
    },
    el('span', { className: 'avatar room-avatar', attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'room-label' }),
    el('span', { className: 'room-type' }),
    el('span', { className: 'room-unread', attrs: { hidden: true } }));
    const remove = el('button', {
      className: 'icon-button room-delete',
      attrs: { type: 'button' },
      on: { click: () => this.remove(roomId) },
    }, icon('trash'));
    return el('li', { className: 'room-item', dataset: { roomId } },
      el('div', { className: 'room-row' }, button, remove),
      el('ul', { className: 'room-members' }));
  }

  /** @param {HTMLElement} node @param {any} room */
  updateRow(node, room) {
    const { state } = this.controller;
    const current = room.id === state.currentRoomId;
    const jail = isJail(room.is_jail);
    const row = /** @type {HTMLElement} */ (node.querySelector('.room-row'));
    row.classList.toggle('is-current', current);
    row.classList.toggle('is-jail', jail);
    row.classList.toggle('is-pending', room.id === state.pendingJoinRoomId);
    const button = /** @type {HTMLElement} */ (node.querySelector('.room-button'));
    setAttr(button, 'aria-current', current ? 'true' : null);
    // Jailed, every other room is out of reach: it looks it, and says why.
    const locked = myPunishment(state) !== null && !current;
    row.classList.toggle('is-locked', locked);
    setAttr(button, 'aria-disabled', locked ? 'true' : null);
    setAttr(button, 'title', locked ? 'You are in jail: other rooms open again when it ends' : null);
    setText(/** @type {HTMLElement} */ (node.querySelector('.room-avatar')), roomInitials(room.name, jail));
    setText(/** @type {HTMLElement} */ (node.querySelector('.room-label')), room.name);
    setText(/** @type {HTMLElement} */ (node.querySelector('.room-type')), room.type === 'video' ? 'video' : '');
    const unread = this.actions.unread?.(room.id) ?? 0;
    const badge = /** @type {HTMLElement} */ (node.querySelector('.room-unread'));
    show(badge, unread > 0);
    setText(badge, unread > 99 ? '99+' : String(unread));
    const remove = /** @type {HTMLElement} */ (node.querySelector('.room-delete'));
    show(remove, canDelete(state, room) && !jail);
    setAttr(remove, 'aria-label', `Delete room ${room.name}`);
    const members = roomMembers(state, room.id);
    const list = /** @type {HTMLElement} */ (node.querySelector('.room-members'));
    setAttr(list, 'aria-label', `In ${room.name}`);
    show(list, members.length > 0);
    keyedList(list, members, {
      key: (user) => user.id,
      create: (user) => el('li', { className: 'member-row', dataset: { userId: user.id } },
        el('span', { className: 'status-dot', attrs: { 'aria-hidden': 'true' } }),
        el('span', { className: 'member-name' })),
      update: (item, user) => {
        const you = user.id === state.me.id ? ' (you)' : '';
        setText(/** @type {HTMLElement} */ (item.querySelector('.member-name')), `${user.display_name}${you}`);
      },
    });
  }

  /** @param {number} roomId */
  choose(roomId) {
    this.actions.onChoose();
    void this.controller.joinRoom(roomId);
  }

  /** @param {number} roomId */
  async remove(roomId) {
    const room = this.controller.state.rooms.get(roomId);
    if (room && (await this.actions.confirmDelete(room))) await this.controller.deleteRoom(roomId);
  }
}
