// Votes: the banner with its live countdown and ballots, and the lengths a vote can ask for
// (offered in each person's menu, ui/person-menu.js).

import { clockText, parseServerTime, secondsLeft } from '../lib/format.js';
import { activeVote } from '../lib/selectors.js';
import { serverNow } from '../lib/state.js';
import { byId, el, setText, show } from './dom.js';

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
    this.live = byId('vote-live');
    this.skip = byId('vote-skip');
    this.shownActions = '';
    /** The vote last announced to screen readers. @type {number|null} */
    this.announced = null;
    this.focusPending = false;
  }

  /** Moves focus to the banner as soon as it shows (the one who started the vote). */
  focusWhenShown() {
    this.focusPending = true;
    this.render();
  }

  render() {
    const { state } = this.controller;
    const vote = state.joinedRoomId === state.currentRoomId ? activeVote(state, state.currentRoomId) : null;
    // A vote ending under the focus (a last ballot cast) must not drop it to the page's body.
    const focusLost = vote === null && !this.banner.hidden && this.banner.contains(document.activeElement);
    show(this.banner, vote !== null);
    show(this.skip, vote !== null);
    if (focusLost) byId('main').focus();
    if (!vote) {
      this.announced = null;
      return;
    }
    const mine = vote.targetUserId === state.me.id;
    const heading = mine
      ? `A vote to jail you is open (${clockText(vote.durationSecs)} punishment)`
      : `Vote to punish: ${vote.targetDisplayName} (${clockText(vote.durationSecs)} punishment)`;
    setText(this.heading, heading);
    this.announce(vote, heading, mine);
    const left = secondsLeft(parseServerTime(vote.expiresAt), serverNow(state, Date.now()));
    setText(this.countdown, `${clockText(left)} left`);
    const share = vote.eligibleCount > 0 ? Math.min(1, vote.yesCount / vote.eligibleCount) : 0;
    // Set through the CSSOM: the style-src policy forbids style attributes in markup.
    this.fill.style.width = `${Math.round(share * 100)}%`;
    setText(this.counts, `${vote.yesCount} yes / ${vote.noCount} no / ${vote.eligibleCount} eligible`);
    this.renderActions(vote);
    if (this.focusPending) {
      this.focusPending = false;
      this.banner.focus();
    }
  }

  /**
   * Says a new vote once, in the live region (the banner's countdown must not be read out
   * every second). Focus that has nowhere to be goes to the banner, so the ballot is one Tab away.
   * @param {any} vote @param {string} heading @param {boolean} mine
   */
  announce(vote, heading, mine) {
    if (this.announced === vote.id) return;
    this.announced = vote.id;
    setText(this.live, mine ? `${heading}.` : `${heading}. Cast your ballot: Yes, Punish or No.`);
    if (!mine && (document.activeElement === null || document.activeElement === document.body)) this.focusPending = true;
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
    // A ballot just cast removes the focused button: keep the focus on the vote, not the page.
    const hadFocus = this.actions.contains(document.activeElement);
    if (hadFocus) queueMicrotask(() => this.banner.focus());
    if (mode === 'target') {
      this.actions.replaceChildren(el('p', { className: 'vote-note', text: 'You are being voted on: the others decide.' }));
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
