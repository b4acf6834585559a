// The settings by the user panel, always there: before joining, between calls, and while the
// media server is down. Three tabs: voice and video (the call's own settings sections, lent by
// ui/media/settings-panel.js, with a microphone test that needs no call), account, appearance.

import { byId, el, icon, setAttr, show } from '../dom.js';
import { AccountSettings } from './account-settings.js';
import { AppearanceSettings } from './appearance-settings.js';

/** @typedef {{ host: (container: HTMLElement) => void, release: () => void }} MediaSettingsHost */

const TABS = /** @type {const} */ ([
  ['voice', 'Voice & video'],
  ['account', 'Account'],
  ['appearance', 'Appearance'],
]);

export class UserSettings {
  /**
   * @param {object} deps
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   * @param {ReturnType<typeof import('../../lib/account-api.js').accountApi>} deps.account
   * @param {import('../dialogs.js').ConfirmDialog} deps.confirm
   * @param {() => void} deps.signedOut  after the account is deleted
   */
  constructor({ controller, account, confirm, signedOut }) {
    /** @type {MediaSettingsHost | null} */
    this.media = null;
    this.active = /** @type {string} */ ('voice');
    this.voice = el('div', { className: 'user-settings-voice' },
      el('p', { className: 'settings-note', attrs: { id: 'user-settings-loading' }, text: 'Loading the audio settings…' }));
    this.accountTab = new AccountSettings({ controller, account, confirm, signedOut });
    this.appearance = new AppearanceSettings();
    /** @type {Map<string, { tab: HTMLElement, panel: HTMLElement }>} */
    this.tabs = new Map();
    const bodies = { voice: this.voice, account: this.accountTab.build(), appearance: this.appearance.build() };
    const list = el('div', { className: 'user-settings-tabs', attrs: { role: 'tablist', 'aria-label': 'Settings' } });
    const panels = [];
    for (const [key, label] of TABS) {
      const tab = el('button', {
        className: 'user-settings-tab',
        attrs: { type: 'button', role: 'tab', id: `user-settings-tab-${key}`, 'aria-controls': `user-settings-${key}` },
        text: label,
        on: { click: () => this.select(key), keydown: (event) => this.arrows(/** @type {KeyboardEvent} */ (event)) },
      });
      const panel = el('section', {
        className: 'user-settings-panel',
        attrs: { role: 'tabpanel', id: `user-settings-${key}`, 'aria-labelledby': `user-settings-tab-${key}` },
      }, bodies[key]);
      list.append(tab);
      panels.push(panel);
      this.tabs.set(key, { tab, panel });
    }
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', {
      className: 'dialog user-settings',
      attrs: { id: 'user-settings', 'aria-labelledby': 'user-settings-title' },
    },
    el('div', { className: 'user-settings-head' },
      el('h2', { className: 'dialog-title', attrs: { id: 'user-settings-title' }, text: 'Settings' }),
      el('button', {
        className: 'icon-button',
        attrs: { type: 'button', 'aria-label': 'Close settings', title: 'Close settings' },
        on: { click: () => this.dialog.close() },
      }, icon('close'))),
    list,
    ...panels));
  }

  mount() {
    document.body.append(this.dialog);
    byId('user-settings-button').addEventListener('click', () => this.open());
    this.dialog.addEventListener('close', () => this.media?.release());
    this.select('voice', false);
  }

  /** The call's settings sections, once the media layer is built. @param {MediaSettingsHost} media */
  attachMedia(media) {
    this.media = media;
    byId('user-settings-loading').remove();
    if (this.dialog.open && this.active === 'voice') media.host(this.voice);
  }

  open() {
    this.accountTab.opened();
    this.dialog.showModal();
    if (this.active === 'voice') this.media?.host(this.voice);
    this.tabs.get(this.active)?.tab.focus();
  }

  /** @param {string} key @param {boolean} [focus] */
  select(key, focus = true) {
    this.active = key;
    for (const [name, { tab, panel }] of this.tabs) {
      const on = name === key;
      setAttr(tab, 'aria-selected', String(on));
      setAttr(tab, 'tabindex', on ? null : '-1');
      show(panel, on);
    }
    if (!this.dialog.open) return;
    // Meters and key listeners run only while the voice tab is shown.
    if (key === 'voice') this.media?.host(this.voice);
    else this.media?.release();
    if (focus) this.tabs.get(key)?.tab.focus();
  }

  /** Left and right move between tabs, as a tablist does. @param {KeyboardEvent} event */
  arrows(event) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const keys = TABS.map(([key]) => key);
    const next = keys[(keys.indexOf(this.active) + step + keys.length) % keys.length];
    this.select(next);
  }
}
