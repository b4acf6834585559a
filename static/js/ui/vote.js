// Votes: the banner with its live countdown and ballots, and the duration menu a vote starts from.

import { clockText, parseServerTime, secondsLeft } from '../lib/format.js';
import { activeVote } from '../lib/selectors.js';
import { serverNow } from '../lib/state.js';
import { byId, el, setAttr, setText, show } from './dom.js';

export const DURATIONS = [
  { secs: 60, label: '1 min' },
  { secs: 300, label: '5 min' },
  { secs: 900, label: '15 min' },
  { secs: 1800, label: '30 min' },
];

export class VoteBanner {
  /** @param {import('../lib/controller.js').RoomController} controller */
  constructor(controller) {
    this.controller = controller;
    this.banner = byId('vote-banner');
    this.heading = byId('vote-heading');
    this.countdown = byId('vote-countdown');
    this.fill = byId('vote-progress-fill');
    this.counts = byId('vote-counts');
    this.actions = byId('vote-actions');
    this.shownActions = '';
  }

  render() {
    const { state } = this.controller;
    const vote = state.joinedRoomId === state.currentRoomId ? activeVote(state, state.currentRoomId) : null;
    show(this.banner, vote !== null);
    if (!vote) return;
    setText(this.heading, `Vote to punish: ${vote.targetDisplayName} (${clockText(vote.durationSecs)} punishment)`);
    const left = secondsLeft(parseServerTime(vote.expiresAt), serverNow(state, Date.now()));
    setText(this.countdown, `${clockText(left)} left`);
    const share = vote.eligibleCount > 0 ? Math.min(1, vote.yesCount / vote.eligibleCount) : 0;
    // Set through the CSSOM: the style-src policy forbids style attributes in markup.
    this.fill.style.width = `${Math.round(share * 100)}%`;
    setText(this.counts, `${vote.yesCount} yes / ${vote.noCount} no / ${vote.eligibleCount} eligible`);
    this.renderActions(vote);
  }

  /** @param {any} vote */
  renderActions(vote) {
    const { state, ui } = this.controller;
    const ballot = state.ballots.get(vote.id);
    const busy = ui.busy.has(`ballot:${vote.id}`);
    const mode = vote.targetUserId === state.me.id ? 'target' : ballot ? `voted-${ballot}` : `ballot-${busy}`;
    // Keyed by vote too: the buttons of a finished vote must never cast into the next one.
    if (`${vote.id}:${mode}` === this.shownActions) return;
    // Rebuilt only when what is offered changes, so a focused button is not replaced every tick.
    this.shownActions = `${vote.id}:${mode}`;
    if (mode === 'target') {
      this.actions.replaceChildren(el('p', { className: 'vote-note', text: 'You are being voted on!' }));
    } else if (ballot) {
      this.actions.replaceChildren(el('p', { className: 'vote-note', text: ballot === 'yes' ? 'Voted Yes' : 'Voted No' }));
    } else {
      const cast = (/** @type {boolean} */ yes) => () => void this.controller.castBallot(vote.id, yes);
      this.actions.replaceChildren(
        el('button', { className: 'button button-danger', attrs: { type: 'button', disabled: busy }, text: 'Yes, Punish', on: { click: cast(true) } }),
        el('button', { className: 'button button-success', attrs: { type: 'button', disabled: busy }, text: 'No', on: { click: cast(false) } }),
      );
    }
  }
}

/**
 * The "Punishment" menu: opened from a member's Vote button, one item per duration.
 * Arrow keys move, Escape closes and gives focus back to the button.
 */
export class VoteMenu {
  /** @param {import('../lib/controller.js').RoomController} controller */
  constructor(controller) {
    this.controller = controller;
    /** @type {HTMLElement|null} */
    this.menu = null;
    /** @type {HTMLElement|null} */
    this.opener = null;
    this.onOutside = (/** @type {Event} */ event) => {
      if (this.menu && !this.menu.contains(/** @type {Node} */ (event.target)) && event.target !== this.opener) this.close(false);
    };
  }

  /** @param {HTMLElement} opener @param {{id: number, display_name: string}} target */
  open(opener, target) {
    this.close(false);
    this.opener = opener;
    const items = DURATIONS.map(({ secs, label }) => el('button', {
      className: 'menu-item',
      attrs: { type: 'button', role: 'menuitem', tabindex: '-1' },
      text: label,
      on: { click: () => this.choose(target.id, secs) },
    }));
    const menu = el('div', {
      className: 'menu vote-menu',
      attrs: { role: 'menu', 'aria-label': `Punish ${target.display_name} for` },
      on: { keydown: (event) => this.keydown(/** @type {KeyboardEvent} */ (event), items) },
    }, el('p', { className: 'menu-title', attrs: { 'aria-hidden': 'true' }, text: 'Punishment' }), ...items);
    opener.after(menu);
    setAttr(opener, 'aria-expanded', 'true');
    this.menu = menu;
    items[0].focus();
    // Attached on the next tick, so the click that opened the menu does not close it.
    setTimeout(() => document.addEventListener('click', this.onOutside), 0);
  }

  /** @param {KeyboardEvent} event @param {HTMLElement[]} items */
  keydown(event, items) {
    const index = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    const moves = /** @type {Record<string, number>} */ ({ ArrowDown: 1, ArrowUp: -1 });
    if (event.key in moves) {
      event.preventDefault();
      items[(index + moves[event.key] + items.length) % items.length].focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      items[event.key === 'Home' ? 0 : items.length - 1].focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      event.stopPropagation();
      this.close(event.key === 'Escape');
    }
  }

  /** @param {number} userId @param {number} secs */
  async choose(userId, secs) {
    this.close(true);
    await this.controller.startVote(userId, secs);
  }

  /** @param {boolean} refocus */
  close(refocus) {
    document.removeEventListener('click', this.onOutside);
    if (!this.menu) return;
    this.menu.remove();
    this.menu = null;
    if (this.opener) {
      setAttr(this.opener, 'aria-expanded', 'false');
      if (refocus && this.opener.isConnected) this.opener.focus();
    }
  }
}
