// The room header: which room, its status, whispers pill and toggle, and the way out.

import { membersText, roomInitials } from '../lib/format.js';
import { roomMembers, whisperSource, whispersOn, currentChain } from '../lib/selectors.js';
import { myPunishment, roomIsJail } from '../lib/state.js';
import { byId, setAttr, setText, show } from './dom.js';

/** @param {any} value */
const isJail = (value) => value === true || value === 1;

export class RoomHeader {
  /**
   * @param {import('../lib/controller.js').RoomController} controller
   * @param {{current: {state: string, detail?: string}}} media
   * @param {{confirm?: (on: boolean) => Promise<boolean>}} [hooks]  asks before whispers changes
   *   everyone's audio
   */
  constructor(controller, media, hooks = {}) {
    this.hooks = hooks;
    this.controller = controller;
    this.media = media;
    this.avatar = byId('room-avatar');
    this.name = byId('room-name');
    this.status = byId('room-status');
    this.pill = byId('whispers-pill');
    this.toggle = byId('whispers-toggle');
    this.toggleLabel = byId('whispers-toggle-label');
    this.leave = byId('leave-button');
  }

  mount() {
    this.toggle.addEventListener('click', async () => {
      const ask = this.hooks.confirm ?? (async () => true);
      if (await ask(!whispersOn(this.controller.state))) await this.controller.toggleWhispers();
      this.toggle.focus();
    });
    this.leave.addEventListener('click', () => void this.controller.leaveRoom());
  }

  render() {
    const { state, ui } = this.controller;
    const roomId = state.currentRoomId;
    const room = roomId === null ? null : state.rooms.get(roomId);
    show(this.avatar, Boolean(room));
    this.avatar.classList.toggle('is-jail', Boolean(room && isJail(room.is_jail)));
    setText(this.avatar, room ? roomInitials(room.name, isJail(room.is_jail)) : '');
    const pending = state.pendingJoinRoomId === null ? null : state.rooms.get(state.pendingJoinRoomId);
    setText(this.name, room ? room.name : pending ? pending.name : 'Select a room to join');
    setText(this.status, this.statusText(room, pending));
    const jail = roomIsJail(state, roomId);
    const inRoom = room !== null && room !== undefined && state.joinedRoomId === roomId;
    const on = whispersOn(state);
    show(this.toggle, inRoom && !jail);
    // The label may be shrunk to the icon (header-fit.css): the tooltip says it then.
    const label = on ? 'Disable Whispers' : 'Enable Whispers';
    setText(this.toggleLabel, label);
    setAttr(this.toggle, 'title', label);
    setAttr(this.toggle, 'aria-pressed', on ? 'true' : 'false');
    this.toggle.classList.toggle('is-active', on);
    setAttr(this.toggle, 'disabled', ui.busy.has('whispers'));
    show(this.pill, Boolean(room) && on);
    const source = whisperSource(currentChain(state), state.me.id);
    setText(this.pill, source && source.userId !== state.me.id ? `Whispers — You hear: ${source.displayName}` : 'Whispers');
    show(this.leave, Boolean(room) && !jail && myPunishment(state) === null);
    setAttr(this.leave, 'disabled', ui.busy.has('leave'));
  }

  /** @param {any} room @param {any} pending */
  statusText(room, pending) {
    const { state } = this.controller;
    if (pending && (!room || pending.id !== room.id)) return 'Joining…';
    if (!room) return '';
    const count = membersText(roomMembers(state, room.id).length);
    if (state.joinedRoomId !== room.id) return `${count} · joined in another tab`;
    const media = this.media.current;
    return media.detail ? `${count} · ${media.detail}` : count;
  }
}
