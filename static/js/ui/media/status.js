// What the page says about the call itself: the room's encryption lock in the header, and the
// banners a person must act on or know about: the media server unreachable (with Retry, while
// presence keeps working), audio blocked by the browser (one click to enable), someone in the
// room not end-to-end encrypted, and the layer's latest problem (a denied microphone, a
// decryption error naming whose media failed, a share that could not start).

import { byId, el, icon, setAttr, setText, show } from '../dom.js';

/** @typedef {import('../../media/models/media-snapshot.js').MediaSnapshot} MediaSnapshot */

const LOCKS = /** @type {const} */ ({
  encrypted: { icon: 'lock', label: 'End-to-end encrypted' },
  mixed: { icon: 'warning', label: 'Not everyone is end-to-end encrypted' },
  'transport-only': { icon: 'lock-open', label: 'Not end-to-end encrypted' },
  unsupported: { icon: 'warning', label: 'End-to-end encryption unavailable in this browser' },
});

export class MediaStatus {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ layer, controller }) {
    this.layer = layer;
    this.controller = controller;
    this.lockShown = '';
    /** The notice serial the person dismissed; a newer notice shows again. */
    this.dismissed = 0;
  }

  mount() {
    this.lock = el('span', { className: 'e2ee-lock', attrs: { role: 'img', id: 'e2ee-lock' } });
    this.lock.hidden = true;
    byId('room-name').after(this.lock);

    this.retry = el('button', { className: 'button button-small', attrs: { type: 'button' }, text: 'Retry' });
    // However fast the next try fails, "Retrying…" shows for a moment, so the click is seen.
    this.retryingUntil = 0;
    this.retry.addEventListener('click', () => {
      if (Date.now() < this.retryingUntil) return;
      this.retryingUntil = Date.now() + 1500;
      void this.layer.retry();
      this.render(this.layer.getState());
      setTimeout(() => this.render(this.layer.getState()), 1500);
    });
    // A status, not an alert: without a media server it comes with every join, and it must not
    // talk over the errors of what the person just did.
    this.unreachable = banner('media-unreachable', 'banner-warning', 'status', el('span', { className: 'media-banner-text' }), this.retry);

    const enable = el('button', { className: 'button button-small button-primary', attrs: { type: 'button' }, text: 'Enable audio' });
    // Must run inside the click itself: browsers lift an autoplay block only for a user gesture.
    enable.addEventListener('click', () => void this.layer.enableAudio());
    this.audio = banner('audio-blocked', 'banner-info', 'status',
      el('span', { className: 'media-banner-text', text: 'Your browser is holding back the sound of this call.' }), enable);

    this.mixed = banner('e2ee-warning', 'banner-warning', 'status', el('span', { className: 'media-banner-text' }));

    const close = el('button', { className: 'icon-button', attrs: { type: 'button', 'aria-label': 'Dismiss message' } }, icon('close'));
    close.addEventListener('click', () => {
      this.dismissed = this.layer.getState().notice?.serial ?? this.dismissed;
      show(this.notice, false);
    });
    this.notice = banner('media-notice', 'banner-error', 'alert', el('span', { className: 'media-banner-text' }), close);

    const box = el('div', { className: 'media-status', attrs: { id: 'media-status' } }, this.unreachable, this.audio, this.mixed, this.notice);
    byId('media-stage').before(box);
    // Any click or key press is a gesture the browser accepts for starting sound, so people
    // who click anything at all never need the button; it stays for those who only listen.
    // On `click`, not `pointerdown`: the banner leaving moves what is under the pointer, and a
    // press that started on a button must still end on it.
    const lift = () => {
      if (this.layer.getState().audio.blocked) void this.layer.enableAudio();
    };
    document.addEventListener('click', lift, { capture: true });
    document.addEventListener('keydown', lift, { capture: true });
  }

  /** @param {MediaSnapshot} snapshot */
  render(snapshot) {
    const { connection } = snapshot;
    const inCall = connection.state === 'connected' || connection.state === 'reconnecting';
    this.renderLock(inCall ? snapshot.e2ee.room : null);

    const failed = connection.state === 'failed';
    const retrying = Date.now() < this.retryingUntil && (failed || connection.state === 'connecting');
    show(this.unreachable, failed || retrying);
    if (failed) setText(textOf(this.unreachable), failedText(connection));
    show(this.retry, retrying || (failed && connection.canRetry));
    setText(this.retry, retrying ? 'Retrying…' : 'Retry');
    this.retry.setAttribute('aria-disabled', retrying ? 'true' : 'false');
    this.retry.classList.toggle('is-busy', retrying);

    show(this.audio, inCall && snapshot.audio.blocked);

    const mixed = inCall && snapshot.e2ee.room.status === 'mixed';
    show(this.mixed, mixed);
    if (mixed) setText(textOf(this.mixed), `${snapshot.e2ee.room.text}. They can be heard by the media server.`);

    const notice = snapshot.notice;
    const fresh = notice !== null && notice.serial > this.dismissed;
    show(this.notice, fresh);
    if (fresh) setText(textOf(this.notice), notice.text);
  }

  /** @param {{status: keyof typeof LOCKS, text: string} | null} room */
  renderLock(room) {
    const lock = /** @type {HTMLElement} */ (this.lock);
    show(lock, room !== null);
    if (!room) return;
    const key = `${room.status}|${room.text}`;
    if (key === this.lockShown) return;
    this.lockShown = key;
    const look = LOCKS[room.status];
    lock.replaceChildren(icon(look.icon));
    lock.className = `e2ee-lock e2ee-${room.status}`;
    setAttr(lock, 'aria-label', room.text);
    setAttr(lock, 'title', room.text);
  }
}

/**
 * @param {string} id @param {string} tone @param {'alert' | 'status'} role
 * @param {...HTMLElement} children
 */
function banner(id, tone, role, ...children) {
  const node = el('div', { className: `banner media-banner ${tone}`, attrs: { id, role } }, ...children);
  node.hidden = true;
  return node;
}

/** @param {HTMLElement} node */
const textOf = (node) => /** @type {HTMLElement} */ (node.querySelector('.media-banner-text'));

/** @param {import('../../media/adapters/sfu-session.js').ConnectionState} connection */
function failedText(connection) {
  const detail = connection.detail ?? 'Voice and video are not connected';
  return connection.failure === 'unreachable'
    ? `${detail}. Voice and video are unavailable; rooms and people still update.`
    : `${detail}.`;
}
