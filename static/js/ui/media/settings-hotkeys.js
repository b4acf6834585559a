// The settings panel's hotkeys section: a key cap per action that listens for its new key when
// pressed, a clear button, and what the last attempt said, with a swap offered on a conflict.

import { createRebinding } from '../../media/models/rebinding-model.js';
import { hotkeyRows, keyCapView } from '../../media/models/settings-model.js';
import { el, icon, setAttr, setText, show } from '../dom.js';
import { settingsGroup } from './settings-controls.js';

/** @typedef {import('../../media/rules/hotkeys.js').HotkeyAction} HotkeyAction */

export class HotkeySettings {
  /** @param {{ layer: import('../../media/adapters/browser-media.js').BrowserMedia }} deps */
  constructor({ layer }) {
    this.layer = layer;
    /** @type {Map<HotkeyAction, { cap: HTMLElement, clear: HTMLElement }>} */
    this.keyCaps = new Map();
    this.rebinding = createRebinding(layer);
    /** While a key cap listens, the next key is its own: nothing else on the page sees it. */
    this.onKey = (/** @type {KeyboardEvent} */ event) => {
      if (!this.rebinding.keydown(event)) return;
      event.preventDefault();
      event.stopPropagation();
      this.showRebinding();
    };
    this.message = el('p', { className: 'settings-note', attrs: { 'aria-live': 'polite' } });
    this.swapButton = el('button', {
      className: 'button button-small',
      attrs: { type: 'button', hidden: true },
      text: 'Swap keys',
      on: { click: () => this.rebind((r) => r.swap(), this.rebinding.state.conflict?.action) },
    });
  }

  build() {
    const rows = hotkeyRows(this.layer.settings.get('hotkeys')).map(({ action, label }) => this.row(action, label));
    return settingsGroup(
      'settings-hotkeys-heading',
      'Hotkeys',
      el('ul', { className: 'settings-hotkeys' }, ...rows),
      el('p', { className: 'settings-hint', text: 'Push to Talk works when push-to-talk mode is on.' }),
      el('div', { className: 'settings-hotkey-message' }, this.message, this.swapButton),
    );
  }

  /** @param {HotkeyAction} action @param {string} label */
  row(action, label) {
    const cap = el('button', {
      className: 'settings-keycap',
      attrs: { type: 'button' },
      on: {
        click: () => this.rebind((r) => r.press(action)),
        // Tab (or a click elsewhere) while listening gives up, as Escape does.
        blur: () => this.rebinding.state.waiting === action && this.rebind((r) => r.cancel('Kept the old key.')),
      },
    });
    const clear = el('button', {
      className: 'icon-button settings-key-clear',
      attrs: { type: 'button', 'aria-label': `Clear the ${label} key` },
      on: { click: () => this.rebind((r) => r.clear(action), action) },
    }, icon('close'));
    this.keyCaps.set(action, { cap, clear });
    return el('li', { className: 'settings-hotkey' }, el('span', { text: label }), cap, clear);
  }

  render() {
    for (const row of hotkeyRows(this.layer.settings.get('hotkeys'))) this.showKey(row);
  }

  opened() {
    // Capturing on window runs before the hotkeys and before the panel's own Escape handling.
    window.addEventListener('keydown', this.onKey, true);
  }

  closed() {
    window.removeEventListener('keydown', this.onKey, true);
    this.rebinding.reset();
    this.showRebinding();
  }

  /** @param {ReturnType<typeof hotkeyRows>[number]} row */
  showKey(row) {
    const { cap, clear } = /** @type {{ cap: HTMLElement, clear: HTMLElement }} */ (this.keyCaps.get(row.action));
    const waiting = this.rebinding.state.waiting === row.action;
    const view = keyCapView(row, waiting);
    setText(cap, view.text);
    cap.classList.toggle('is-waiting', waiting);
    if (cap.getAttribute('aria-label') !== view.name) setAttr(cap, 'aria-label', view.name);
    show(clear, view.clearable);
  }

  /**
   * Runs one rebinding step and shows its outcome.
   * @param {(rebinding: ReturnType<typeof createRebinding>) => void} step
   * @param {HotkeyAction} [refocus]  the cap to focus afterwards (the button pressed may vanish)
   */
  rebind(step, refocus) {
    step(this.rebinding);
    this.showRebinding();
    if (refocus) this.keyCaps.get(refocus)?.cap.focus();
  }

  showRebinding() {
    const { message, conflict } = this.rebinding.state;
    setText(this.message, message);
    show(this.swapButton, conflict !== null);
    this.render();
  }
}
