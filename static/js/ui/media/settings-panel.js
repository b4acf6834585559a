// The "Audio & Video Settings" panel, opened from the control bar's gear: devices with the one in
// use selected, a level meter on the live mic track, input gain and capture processing, hotkeys
// and notification sounds. Every change goes through the media layer or its settings store, which
// apply and remember it, so the next join and the next page load start from the same choices.
//
// This module is the shell: it opens, places and closes the panel and hands each render to the
// sections (settings-microphone.js, settings-output.js, settings-hotkeys.js, settings-sounds.js).
// The same sections are lent to the settings dialog by the user panel (ui/settings/), which
// works with no call at all: `host` moves them there, `release` brings them back.

import { popoverPlacement } from '../../media/models/settings-model.js';
import { el, icon } from '../dom.js';
import { Popover } from '../popover.js';
import { HotkeySettings } from './settings-hotkeys.js';
import { MicrophoneSettings } from './settings-microphone.js';
import { NoiseSettings } from './settings-noise.js';
import { CameraSettings, SpeakerSettings } from './settings-output.js';
import { PrivacySettings } from './settings-privacy.js';
import { SoundSettings } from './settings-sounds.js';

/** @typedef {import('../../media/models/media-snapshot.js').MediaSnapshot} MediaSnapshot */

/**
 * @typedef {object} SettingsSection
 * @property {() => HTMLElement} build                                  once, at mount
 * @property {(snapshot: MediaSnapshot, fresh: boolean) => void} render  while open; fresh just after opening
 * @property {() => void} [opened]
 * @property {() => void} [closed]
 */

const PANEL_WIDTH = 340;

export class SettingsPanel {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   * @param {import('../../lib/soundbite-optouts.js').SoundbiteOptOuts} deps.soundbiteOptOuts
   */
  constructor({ layer, controller, soundbiteOptOuts }) {
    this.layer = layer;
    this.controller = controller;
    /** @type {MediaSnapshot | null} */
    this.snapshot = null;
    /** @type {Popover | null} */
    this.popover = null;
    /** @type {HTMLElement | null} where the sections are lent, while they are */
    this.hosted = null;
    const isOpen = () => Boolean(this.popover?.isOpen || this.hosted);
    /** @type {SettingsSection[]} */
    this.sections = [
      new MicrophoneSettings({ layer, isOpen }),
      new NoiseSettings({ layer }),
      new SpeakerSettings({ layer }),
      new CameraSettings({ layer }),
      new HotkeySettings({ layer }),
      new SoundSettings({ layer }),
      new PrivacySettings({ optOuts: soundbiteOptOuts }),
    ];
    this.onResize = () => this.place();
  }

  mount() {
    this.groups = this.sections.map((section) => section.build());
    const opener = document.getElementById('media-settings-button');
    const slot = document.getElementById('control-bar-slot');
    if (!opener || !slot) return;
    this.opener = opener;
    const close = el('button', {
      className: 'icon-button settings-close',
      attrs: { type: 'button', 'aria-label': 'Close settings' },
      on: { click: () => this.popover?.close(true) },
    }, icon('close'));
    this.panel = el(
      'section',
      {
        className: 'media-settings',
        // A non-modal dialog, as the gear's aria-haspopup announces.
        attrs: { id: 'media-settings', role: 'dialog', 'aria-labelledby': 'media-settings-heading' },
      },
      el('h2', { className: 'settings-title', attrs: { id: 'media-settings-heading' } }, 'Audio & Video Settings'),
      ...this.groups,
      // Last in the markup so opening focuses the microphone picker; CSS puts it top right.
      close,
    );
    slot.append(this.panel);
    this.popover = new Popover(opener, this.panel, { onOpen: () => this.opened(), onClose: () => this.closed() });
  }

  /** @param {MediaSnapshot} snapshot */
  render(snapshot) {
    this.snapshot = snapshot;
    if (this.hosted) {
      this.sync(false);
      return;
    }
    if (!this.popover?.isOpen) return;
    // The bar hides its gear when the call ends; a panel left open would float over nothing.
    if (!this.opener?.isConnected || this.opener.closest('[hidden]')) {
      this.popover.close(false);
      return;
    }
    this.sync(false);
  }

  /** @param {boolean} fresh  just opened: refill even what has focus */
  sync(fresh) {
    const { snapshot } = this;
    if (!snapshot) return;
    for (const section of this.sections) section.render(snapshot, fresh);
  }

  opened() {
    this.place();
    window.addEventListener('resize', this.onResize);
    for (const section of this.sections) section.opened?.();
    // Labels appear once the mic is allowed, which the layer's last listing may predate.
    void this.layer.refreshDevices();
    this.sync(true);
  }

  closed() {
    window.removeEventListener('resize', this.onResize);
    for (const section of this.sections) section.closed?.();
  }

  /** Lends the sections to `container` (the user panel's settings), call or no call. @param {HTMLElement} container */
  host(container) {
    this.popover?.close(false);
    container.append(...this.groups);
    this.hosted = container;
    for (const section of this.sections) section.opened?.();
    void this.layer.refreshDevices();
    this.sync(true);
  }

  /** Takes the sections back into the call's panel. */
  release() {
    if (!this.hosted) return;
    this.hosted = null;
    for (const section of this.sections) section.closed?.();
    this.panel?.querySelector('.settings-close')?.before(...this.groups);
  }

  /**
   * Above the bar, right-aligned with the gear, on desktop; the phone layout ignores these
   * properties and docks the panel as a sheet.
   */
  place() {
    if (!this.opener || !this.panel?.parentElement) return;
    const viewport = { width: window.innerWidth, height: window.innerHeight };
    const width = Math.min(PANEL_WIDTH, viewport.width - 16);
    const gear = this.opener.getBoundingClientRect();
    // The slot is as tall as the bar: clearing it keeps the bar's own edge visible.
    const top = Math.min(gear.top, this.panel.parentElement.getBoundingClientRect().top);
    const spot = popoverPlacement({ top, right: gear.right }, viewport, width);
    this.panel.style.setProperty('--settings-left', `${spot.left}px`);
    this.panel.style.setProperty('--settings-bottom', `${spot.bottom}px`);
    this.panel.style.setProperty('--settings-max-height', `${spot.maxHeight}px`);
  }
}
