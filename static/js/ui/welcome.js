// The first visit's word: a newcomer is placed in a room at once (no lurkers), so the page says
// which room they are in, that nobody hears them until they unmute, and where the other rooms
// are. Shown until dismissed, on an account's first visit only (it had no last room).

import { byId, el, setText, show } from './dom.js';

const DISMISSED = 'distokoloshe.welcomed';

export class Welcome {
  /**
   * @param {import('../lib/controller.js').RoomController} controller
   * @param {{ firstVisit: boolean, storage?: Storage }} options
   */
  constructor(controller, { firstVisit, storage = window.localStorage }) {
    this.controller = controller;
    this.storage = storage;
    const key = `${DISMISSED}.${controller.state.me.id}`;
    this.key = key;
    this.wanted = firstVisit && !this.read();
    this.heading = el('h2', { className: 'panel-heading', attrs: { id: 'welcome-heading' } });
    this.where = el('p', { attrs: { id: 'welcome-where' } });
    this.node = el(
      'section',
      { className: 'panel panel-welcome', attrs: { id: 'welcome', 'aria-labelledby': 'welcome-heading', hidden: true } },
      this.heading,
      this.where,
      el('p', {
        text: 'Your microphone is off: nobody hears you until you press Unmute in the bar at the bottom. '
          + 'Your browser asks for the microphone then, not before.',
      }),
      el('p', { text: 'Other rooms are in the room list; the + beside “Rooms” makes your own.' }),
      el('button', {
        className: 'button button-small',
        attrs: { type: 'button', id: 'welcome-dismiss' },
        text: 'Got it',
        on: { click: () => this.dismiss() },
      }),
    );
  }

  mount() {
    byId('main').querySelector('.main-body')?.prepend(this.node);
  }

  render() {
    const { state } = this.controller;
    const room = state.joinedRoomId === null ? null : state.rooms.get(state.joinedRoomId);
    show(this.node, this.wanted && Boolean(room));
    if (!room) return;
    setText(this.heading, `Welcome! You are in ${room.name}`);
    const kind = room.type === 'video' ? 'a video room' : 'a voice room';
    setText(this.where, `${room.name} is ${kind}: everyone in it can talk to everyone else, and you joined it muted.`);
  }

  dismiss() {
    this.wanted = false;
    try {
      this.storage.setItem(this.key, '1');
    } catch {
      // Storage may be full or blocked: the notice still goes for this page.
    }
    show(this.node, false);
    byId('main').focus();
  }

  read() {
    try {
      return this.storage.getItem(this.key) === '1';
    } catch {
      return false;
    }
  }
}
