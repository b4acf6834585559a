// The people sidebar: me first, then everyone else online, then offline with when they were
// last seen.

import { lastSeenText, personInitial } from '../lib/format.js';
import { people } from '../lib/selectors.js';
import { serverNow } from '../lib/state.js';
import { byId, el, keyedList, setText } from './dom.js';

export class PeoplePanel {
  /** @param {import('../lib/controller.js').RoomController} controller */
  constructor(controller) {
    this.controller = controller;
    this.onlineList = byId('online-list');
    this.offlineList = byId('offline-list');
    this.onlineHeading = byId('online-heading');
    this.offlineHeading = byId('offline-heading');
  }

  render() {
    const { online: others, offline } = people(this.controller.state);
    const { me } = this.controller.state;
    // I am online as long as this page is: alone, the list says "Online — 1" and shows me.
    const online = [{ ...me, display_name: `${me.display_name} (you)` }, ...others];
    const now = serverNow(this.controller.state, Date.now());
    setText(this.onlineHeading, `Online — ${online.length}`);
    setText(this.offlineHeading, `Offline — ${offline.length}`);
    keyedList(this.onlineList, online, {
      key: (user) => user.id,
      create: (user) => row(user.id, false),
      update: (node, user) => fill(node, user.display_name, ''),
    });
    keyedList(this.offlineList, offline, {
      key: (user) => user.id,
      create: (user) => row(user.id, true),
      update: (node, user) => fill(node, user.display_name, lastSeenText(user.lastSeenMs, now)),
    });
  }
}

/** @param {number} userId @param {boolean} offline */
function row(userId, offline) {
  return el('li', { className: `person${offline ? ' is-offline' : ''}`, dataset: { userId } },
    el('span', { className: 'avatar person-avatar', attrs: { 'aria-hidden': 'true' } },
      el('span', { className: 'avatar-letter' }),
      offline ? null : el('span', { className: 'presence-dot' })),
    el('span', { className: 'person-name' }),
    offline ? el('span', { className: 'visually-hidden' }, ', last seen ') : null,
    offline ? el('span', { className: 'last-seen' }) : null);
}

/** @param {HTMLElement} node @param {string} name @param {string} lastSeen */
function fill(node, name, lastSeen) {
  setText(/** @type {HTMLElement} */ (node.querySelector('.avatar-letter')), personInitial(name));
  setText(/** @type {HTMLElement} */ (node.querySelector('.person-name')), name);
  const seen = node.querySelector('.last-seen');
  if (seen) setText(seen, lastSeen);
}
