// The menu on a person's tile ("Options for Dave"): vote to jail them, with a length to pick,
// their volume and muting them for me. What it offers comes from lib/person-menu.js.
// Escape or a click outside closes it and gives focus back to its button; after a vote
// starts, focus goes to the vote banner, where the vote now is.

import { personMenu } from '../lib/person-menu.js';
import { percentToVolume } from '../media/rules/volume.js';
import { el, setAttr, setText, show } from './dom.js';
import { DURATIONS } from './vote.js';

/**
 * @typedef {{setVolume: (identity: string, volume: number) => void, toggleLocalMute: (identity: string) => void,
 *   getState: () => {participants: Array<{identity: string, isLocal: boolean, volume: number, localMuted: boolean}>}}} CallLayer
 */

export class PersonMenu {
  /**
   * @param {import('../lib/controller.js').RoomController} controller
   * @param {{minPeople: number, onVoteStarted?: () => void}} options  `minPeople`: the server's
   *   vote minimum, from the page's config
   */
  constructor(controller, { minPeople, onVoteStarted = () => {} }) {
    this.controller = controller;
    this.minPeople = minPeople;
    this.onVoteStarted = onVoteStarted;
    /** @type {CallLayer|null} the call, once the media layer is up */
    this.layer = null;
    /** @type {{opener: HTMLElement, user: {id: number, username: string, display_name: string}, panel: HTMLElement}|null} */
    this.open = null;
    this.onOutside = (/** @type {Event} */ event) => {
      const target = /** @type {Node} */ (event.target);
      if (this.open && !this.open.panel.contains(target) && !this.open.opener.contains(target)) this.close(false);
    };
  }

  /** @param {CallLayer} layer */
  setLayer(layer) {
    this.layer = layer;
  }

  /** The view for one person now. @param {{id: number, username: string, display_name: string}} user */
  view(user) {
    const participant = this.layer?.getState().participants.find((p) => p.identity === user.username && !p.isLocal) ?? null;
    return personMenu(this.controller.state, user, { minPeople: this.minPeople, participant });
  }

  /** @param {HTMLElement} opener @param {{id: number, username: string, display_name: string}} user */
  toggle(opener, user) {
    if (this.open?.opener === opener) return this.close(true);
    this.close(false);
    const panel = this.build(user);
    opener.after(panel);
    setAttr(opener, 'aria-expanded', 'true');
    this.open = { opener, user, panel };
    this.refresh();
    /** @type {HTMLElement|null} */ (panel.querySelector('button:not([hidden]), input'))?.focus();
    setTimeout(() => this.open && document.addEventListener('pointerdown', this.onOutside), 0);
    return undefined;
  }

  /** @param {{id: number, username: string, display_name: string}} user */
  build(user) {
    const voteButton = el('button', {
      className: 'menu-item person-vote',
      attrs: { type: 'button', 'aria-expanded': 'false', title: 'Start a 30-second vote; the room decides' },
      on: { click: () => this.showDurations() },
    });
    const durations = el('div', { className: 'person-durations', attrs: { role: 'group', hidden: true } },
      ...DURATIONS.map(({ secs, label }) => el('button', {
        className: 'menu-item person-duration',
        attrs: { type: 'button', title: `Jail for ${label} if the vote passes` },
        text: `for ${label}`,
        on: { click: () => void this.choose(user.id, secs) },
      })));
    const slider = /** @type {HTMLInputElement} */ (el('input', {
      className: 'volume-slider person-volume-slider',
      attrs: { type: 'range', min: 0, max: 200, step: 1 },
      on: { input: () => this.setVolume(slider.value) },
    }));
    const volume = el('label', { className: 'person-volume' }, el('span', { text: 'Volume' }), slider,
      el('span', { className: 'person-volume-percent', attrs: { 'aria-hidden': 'true' } }));
    const mute = el('button', {
      className: 'menu-item person-mute',
      attrs: { type: 'button', 'aria-pressed': 'false', title: 'Only you stop hearing them' },
      on: { click: () => this.toggleMute() },
    });
    return el('div', {
      className: 'menu person-menu',
      attrs: { id: 'person-menu', role: 'dialog', 'aria-label': `Options for ${user.display_name}` },
      on: { keydown: (event) => this.keydown(/** @type {KeyboardEvent} */ (event)) },
    }, el('p', { className: 'menu-title', text: user.display_name }), voteButton, durations, volume, mute);
  }

  /** Keeps an open menu in step with the room and the call (called on every render). */
  refresh() {
    if (!this.open) return;
    const { panel, user } = this.open;
    if (!this.open.opener.isConnected) return this.close(false);
    const view = this.view(user);
    const [, vote, durations, volume, mute] = /** @type {HTMLElement[]} */ ([...panel.children]);
    show(vote, view.vote.offered);
    setText(vote, view.vote.label);
    if (!view.vote.offered) show(durations, false);
    setAttr(durations, 'aria-label', `Jail ${view.name} for`);
    show(volume, view.volume.offered);
    const slider = /** @type {HTMLInputElement} */ (volume.querySelector('input'));
    setAttr(slider, 'aria-label', view.volume.label);
    if (document.activeElement !== slider) slider.value = String(view.volume.percent);
    setText(/** @type {HTMLElement} */ (volume.querySelector('.person-volume-percent')), `${slider.value}%`);
    show(mute, view.mute.offered);
    setText(mute, view.mute.label);
    setAttr(mute, 'aria-pressed', view.mute.muted ? 'true' : 'false');
    return undefined;
  }

  showDurations() {
    if (!this.open) return;
    const [, vote, durations] = /** @type {HTMLElement[]} */ ([...this.open.panel.children]);
    show(durations, true);
    setAttr(vote, 'aria-expanded', 'true');
    /** @type {HTMLElement|null} */ (durations.querySelector('button'))?.focus();
  }

  /** @param {number} userId @param {number} secs */
  async choose(userId, secs) {
    this.close(true);
    // The vote is what matters now, for the keyboard as for the eye.
    if (await this.controller.startVote(userId, secs)) this.onVoteStarted();
  }

  /** @param {string} percent */
  setVolume(percent) {
    if (this.open && this.layer) this.layer.setVolume(this.open.user.username, percentToVolume(percent));
    this.refresh();
  }

  toggleMute() {
    if (this.open && this.layer) this.layer.toggleLocalMute(this.open.user.username);
  }

  /** @param {KeyboardEvent} event */
  keydown(event) {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    this.close(true);
  }

  /** @param {boolean} refocus */
  close(refocus) {
    document.removeEventListener('pointerdown', this.onOutside);
    if (!this.open) return;
    const { opener, panel } = this.open;
    this.open = null;
    panel.remove();
    setAttr(opener, 'aria-expanded', 'false');
    if (refocus && opener.isConnected) opener.focus();
  }
}
