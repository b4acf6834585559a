// The messages above the room: connection state, the one notice area (errors verbatim from the
// server, notices, vote results; lib/notices.js), the jail banner with its countdown and the
// jailed-from-this-room panel.

import { connectionText, jailText } from '../lib/announcements.js';
import { clockText, parseServerTime, secondsLeft } from '../lib/format.js';
import { canLift, jailedFrom } from '../lib/selectors.js';
import { myPunishment, roomIsJail, serverNow } from '../lib/state.js';
import { byId, el, icon, keyedList, setAttr, setText, show } from './dom.js';

/** However fast the try fails, "Retrying…" shows this long, so a click is seen to do something. */
const RETRY_SHOWN_MS = 1500;

export class Banners {
  /** @param {import('../lib/controller.js').RoomController} controller @param {{retry: () => void}} realtime */
  constructor(controller, realtime) {
    this.controller = controller;
    this.realtime = realtime;
    this.notice = byId('realtime-notice');
    this.noticeText = byId('realtime-text');
    this.retry = byId('realtime-retry');
    this.notices = byId('notices');
    this.jail = byId('jail-banner');
    this.jailedPanel = byId('jailed-panel');
    this.jailedList = byId('jailed-list');
    this.retryingUntil = 0;
  }

  mount() {
    this.retry.addEventListener('click', () => {
      if (Date.now() < this.retryingUntil) return;
      this.retryingUntil = Date.now() + RETRY_SHOWN_MS;
      this.render();
      this.realtime.retry();
      setTimeout(() => this.render(), RETRY_SHOWN_MS);
    });
  }

  render() {
    this.renderRealtime();
    this.renderNotices();
    this.renderJail();
    this.renderJailedPanel();
  }

  renderRealtime() {
    const status = this.controller.ui.realtime;
    const retrying = Date.now() < this.retryingUntil && status.state !== 'open';
    const text = retrying ? 'Trying to reconnect…' : connectionText(status, Date.now());
    show(this.notice, text !== '');
    this.notice.classList.toggle('is-problem', status.state === 'refused');
    setText(this.noticeText, text);
    show(this.retry, retrying || status.state === 'refused' || status.state === 'reconnecting');
    // Inert while a try runs (aria-disabled keeps the focus on it); back with the countdown if it failed.
    setAttr(this.retry, 'aria-disabled', retrying ? 'true' : null);
    setAttr(this.retry, 'aria-busy', retrying ? 'true' : null);
    this.retry.classList.toggle('is-busy', retrying);
    setText(this.retry, retrying ? 'Retrying…' : 'Retry now');
  }

  /** The one notice area: newest first, each with its meaning's colour and a way to close it. */
  renderNotices() {
    const items = this.controller.notices.current();
    show(this.notices, items.length > 0);
    keyedList(this.notices, items, {
      key: (notice) => notice.id,
      create: (notice) => el('li', { className: `notice-item tone-${notice.kind}`, dataset: { kind: notice.kind } },
        el('p', { className: 'banner-text', attrs: { role: notice.kind === 'error' ? 'alert' : 'status' }, text: notice.text }),
        el('button', {
          className: 'icon-button',
          attrs: { type: 'button', 'aria-label': notice.kind === 'error' ? 'Dismiss message' : 'Dismiss notice', title: 'Dismiss' },
          on: { click: () => this.controller.dismissNotice(notice.id) },
        }, icon('close'))),
      update: () => {},
    });
  }

  renderJail() {
    const { state } = this.controller;
    const mine = myPunishment(state);
    show(this.jail, mine !== null);
    if (!mine) return;
    const left = secondsLeft(parseServerTime(mine.expiresAt), serverNow(state, Date.now()));
    const source = mine.sourceRoomName ?? state.rooms.get(mine.sourceRoomId)?.name ?? 'a room';
    setText(this.jail, jailText(source, clockText(left)));
  }

  renderJailedPanel() {
    const { state, ui } = this.controller;
    const roomId = state.currentRoomId;
    const rows = roomIsJail(state, roomId) ? [] : jailedFrom(state, roomId);
    show(this.jailedPanel, rows.length > 0);
    keyedList(this.jailedList, rows, {
      key: (punishment) => punishment.id,
      create: (punishment) => el('li', { className: 'jailed-row', dataset: { punishmentId: punishment.id } },
        el('span', { className: 'jailed-name' }),
        el('span', { className: 'jailed-left' }),
        el('button', {
          className: 'button button-small button-success jailed-lift',
          attrs: { type: 'button' },
          text: 'Lift',
          on: { click: () => void this.controller.lift(punishment.id) },
        })),
      update: (node, punishment) => {
        const name = punishment.targetDisplayName ?? punishment.targetUsername ?? 'Someone';
        setText(/** @type {HTMLElement} */ (node.querySelector('.jailed-name')), name);
        const left = secondsLeft(parseServerTime(punishment.expiresAt), serverNow(state, Date.now()));
        setText(/** @type {HTMLElement} */ (node.querySelector('.jailed-left')), `${clockText(left)} left`);
        const lift = /** @type {HTMLElement} */ (node.querySelector('.jailed-lift'));
        show(lift, canLift(state, punishment));
        setAttr(lift, 'aria-label', `Lift ${name}'s punishment`);
        setAttr(lift, 'disabled', ui.busy.has(`lift:${punishment.id}`));
      },
    });
  }
}
