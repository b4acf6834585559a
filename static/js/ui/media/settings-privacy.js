// The settings panel's privacy section: 2.x's "Disable soundbite clips of me". It reaches every
// other page at once (the server updates my LiveKit metadata and tells every page), so unlike
// 2.x it needs no "takes effect next room join" note. A self-contained section: it needs only
// the page's opt-out list, so it can move to any settings dialog.

import { el, setAttr, setText } from '../dom.js';
import { settingsGroup } from './settings-controls.js';

export class PrivacySettings {
  /** @param {{ optOuts: import('../../lib/soundbite-optouts.js').SoundbiteOptOuts }} deps */
  constructor({ optOuts }) {
    this.optOuts = optOuts;
    this.busy = false;
    this.toggle = el(
      'button',
      {
        className: 'settings-switch',
        attrs: { type: 'button', id: 'settings-soundbite-opt-out', 'aria-pressed': 'false' },
        on: { click: () => void this.flip() },
      },
      el('span', { className: 'settings-switch-track', attrs: { 'aria-hidden': 'true' } }),
      'Disable soundbite clips of me',
    );
    this.note = el('p', { className: 'settings-hint', attrs: { 'aria-live': 'polite' } });
  }

  build() {
    return settingsGroup('settings-privacy-heading', 'Privacy', this.toggle, this.note);
  }

  render() {
    setAttr(this.toggle, 'aria-pressed', String(this.optOuts.mine));
    if (!this.busy && !this.note.dataset.error) setText(this.note, hint(this.optOuts.mine));
  }

  async flip() {
    if (this.busy) return;
    this.busy = true;
    const refused = await this.optOuts.setMine(!this.optOuts.mine);
    this.busy = false;
    if (refused) this.note.dataset.error = 'true';
    else delete this.note.dataset.error;
    setText(this.note, refused ?? hint(this.optOuts.mine));
    this.render();
  }
}

/** @param {boolean} out */
function hint(out) {
  return out
    ? 'Others in your rooms keep no recording of you, and see that you opted out.'
    : 'Others can save the last 10 seconds of what you said.';
}
