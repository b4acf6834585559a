// The messages above the room: connection state, errors (verbatim from the server), notices,
// the jail banner with its countdown, the jailed-from-this-room panel and vote results.

import { clockText, parseServerTime, secondsLeft } from '../lib/format.js';
import { canLift, jailedFrom } from '../lib/selectors.js';
import { myPunishment, roomIsJail, serverNow } from '../lib/state.js';
import { byId, el, keyedList, setAttr, setText, show } from './dom.js';

const ERROR_VISIBLE_MS = 8000;

export class Banners {
  /** @param {import('../lib/controller.js').RoomController} controller @param {{retry: () => void}} realtime */
  constructor(controller, realtime) {
    this.controller = controller;
    this.realtime = realtime;
    this.notice = byId('realtime-notice');
    this.noticeText = byId('realtime-text');
    this.retry = byId('realtime-retry');
    this.error = byId('error-banner');
    this.errorText = byId('error-text');
    this.info = byId('info-banner');
    this.infoText = byId('info-text');
    this.jail = byId('jail-banner');
    this.jailedPanel = byId('jailed-panel');
    this.jailedList = byId('jailed-list');
    this.toast = byId('vote-toast');
    /** @type {any} */
    this.errorTimer = null;
    this.shownError = 0;
  }

  mount() {
    this.retry.addEventListener('click', () => this.realtime.retry());
    byId('error-close').addEventListener('click', () => this.controller.clearError());
    byId('info-close').addEventListener('click', () => this.controller.clearInfo());
  }

  render() {
    this.renderRealtime();
    this.renderMessages();
    this.renderJail();
    this.renderJailedPanel();
    const toast = this.controller.ui.toast;
    show(this.toast, toast !== null);
    if (toast) {
      setText(this.toast, toast.text);
      this.toast.classList.toggle('toast-passed', toast.passed);
      this.toast.classList.toggle('toast-failed', !toast.passed);
    }
  }

  renderRealtime() {
    const status = this.controller.ui.realtime;
    const seconds = status.retryInMs ? Math.max(1, Math.round(status.retryInMs / 1000)) : 0;
    /** @type {Record<string, string>} */
    const texts = {
      connecting: 'Connecting…',
      reconnecting: seconds ? `Connection lost. Reconnecting in ${seconds} s…` : 'Reconnecting…',
      stopped: 'Disconnected.',
    };
    let text = texts[status.state] ?? '';
    if (status.state === 'refused' && status.reason === 'too-many-tabs') {
      text = `Too many tabs open: disTokoloshe is already open in other tabs or windows. Close one; retrying in ${seconds} s…`;
    } else if (status.state === 'refused') {
      text = `The server is full right now. Retrying in ${seconds} s…`;
    }
    show(this.notice, text !== '');
    this.notice.classList.toggle('is-problem', status.state === 'refused');
    setText(this.noticeText, text);
    show(this.retry, status.state === 'refused' || status.state === 'reconnecting');
  }

  renderMessages() {
    const { error, info } = this.controller.ui;
    show(this.error, error !== null);
    if (error && error.serial !== this.shownError) {
      this.shownError = error.serial;
      setText(this.errorText, error.message);
      clearTimeout(this.errorTimer);
      const serial = error.serial;
      this.errorTimer = setTimeout(() => {
        if (this.controller.ui.error?.serial === serial) this.controller.clearError();
      }, ERROR_VISIBLE_MS);
    }
    show(this.info, info !== null);
    if (info) setText(this.infoText, info.message);
  }

  renderJail() {
    const { state } = this.controller;
    const mine = myPunishment(state);
    show(this.jail, mine !== null);
    if (!mine) return;
    const left = secondsLeft(parseServerTime(mine.expiresAt), serverNow(state, Date.now()));
    const source = mine.sourceRoomName ?? state.rooms.get(mine.sourceRoomId)?.name ?? 'a room';
    setText(this.jail, `Jailed from ${source}! ${clockText(left)} remaining`);
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
