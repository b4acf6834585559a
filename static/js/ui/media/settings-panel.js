// The "Audio & Video Settings" panel, opened from the control bar's gear: devices with the one in
// use selected, a level meter on the live mic track, input gain and capture processing, hotkeys
// and notification sounds. Every change goes through the media layer or its settings store, which
// apply and remember it, so the next join and the next page load start from the same choices.

import { meterColour, meterPercent } from '../../media/meter.js';
import { createRebinding } from '../../media/rebinding.js';
import {
  deviceChoices,
  hotkeyRows,
  keyCapView,
  micStatus,
  popoverPlacement,
  receivingHold,
  soundPackChoices,
  toPercent,
} from '../../media/settings-view.js';
import { SOUND_EVENTS, SOUND_EVENT_LABELS } from '../../media/sounds.js';
import { el, icon, setAttr, setText, show } from '../dom.js';
import { Popover } from '../popover.js';

/** @typedef {'audioinput' | 'audiooutput' | 'videoinput'} DeviceKind */
/** @typedef {import('../../media/hotkeys.js').HotkeyAction} HotkeyAction */
/** @typedef {'noiseSuppression' | 'echoCancellation' | 'autoGainControl'} Processing */

const PROCESSING = /** @type {const} */ ([
  ['noiseSuppression', 'Noise suppression'],
  ['echoCancellation', 'Echo cancellation'],
  ['autoGainControl', 'Automatic gain control'],
]);
const DEVICE_NAMES = { audioinput: 'microphone', audiooutput: 'speaker', videoinput: 'camera' };
const PANEL_WIDTH = 340;
/** 1.x kept "Playing…" up for the test tone's 0.7 s and a little more. */
const SPEAKER_TEST_MS = 800;
/** A meter started before the mic was published gets no frames; it is retried this often. */
const METER_RETRY_MS = 1000;
const RECEIVING_HOLD_MS = 1000;

/** @param {string} id @param {string} text */
const heading = (id, text) => el('h3', { className: 'settings-heading', attrs: { id }, text });

/** What each picker lists, so a render that changes nothing leaves its options alone. */
const shownOptions = new WeakMap();

/** @param {HTMLSelectElement} select @param {Array<{ value: string, label: string }>} options */
function fillSelect(select, options) {
  const signature = JSON.stringify(options);
  if (shownOptions.get(select) === signature) return;
  shownOptions.set(select, signature);
  select.replaceChildren(...options.map((o) => el('option', { attrs: { value: o.value }, text: o.label })));
}

/** @param {Element} node */
const focused = (node) => node === document.activeElement;

export class SettingsPanel {
  /**
   * @param {object} deps
   * @param {import('../../media/browser.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ layer, controller }) {
    this.layer = layer;
    this.controller = controller;
    /** @type {import('../../media/snapshot.js').MediaSnapshot | null} */
    this.snapshot = null;
    /** @type {Popover | null} */
    this.popover = null;
    /** @type {Record<string, HTMLSelectElement>} */
    this.pickers = {};
    /** @type {Map<Processing, HTMLElement>} */
    this.switches = new Map();
    /** @type {Map<HotkeyAction, { cap: HTMLElement, clear: HTMLElement }>} */
    this.keyCaps = new Map();
    this.rebinding = createRebinding(layer);
    this.stopMeter = () => {};
    this.meter = { key: '', started: 0, wired: false };
    this.receivingNow = receivingHold(RECEIVING_HOLD_MS);
    this.busy = new Set();
    /** While a key cap listens, the next key is its own: nothing else on the page sees it. */
    this.onKey = (/** @type {KeyboardEvent} */ event) => {
      if (!this.rebinding.keydown(event)) return;
      event.preventDefault();
      event.stopPropagation();
      this.showRebinding();
    };
    this.onResize = () => this.place();
  }

  mount() {
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
      this.buildMicrophone(),
      this.buildSpeaker(),
      this.buildCamera(),
      this.buildHotkeys(),
      this.buildSounds(),
      // Last in the markup so opening focuses the microphone picker; CSS puts it top right.
      close,
    );
    slot.append(this.panel);
    this.popover = new Popover(opener, this.panel, { onOpen: () => this.opened(), onClose: () => this.closed() });
  }

  /** @param {import('../../media/snapshot.js').MediaSnapshot} snapshot */
  render(snapshot) {
    this.snapshot = snapshot;
    if (!this.popover?.isOpen) return;
    // The bar hides its gear when the call ends; a panel left open would float over nothing.
    if (!this.opener?.isConnected || this.opener.closest('[hidden]')) {
      this.popover.close(false);
      return;
    }
    this.sync(false);
    const retry = !this.meter.wired && performance.now() - this.meter.started > METER_RETRY_MS;
    if (meterKey(snapshot) !== this.meter.key || retry) this.restartMeter();
  }

  // --- Building -------------------------------------------------------------------------------

  /** @param {DeviceKind} kind @param {string} id @param {string} headingId */
  picker(kind, id, headingId) {
    const select = /** @type {HTMLSelectElement} */ (
      el('select', { className: 'settings-select', attrs: { id, 'aria-labelledby': headingId } })
    );
    select.addEventListener('change', () => void this.chooseDevice(kind, select.value));
    this.pickers[kind] = select;
    return select;
  }

  buildMicrophone() {
    this.meterFill = el('div', { className: 'settings-meter-fill' });
    this.receiving = el('span', { className: 'settings-receiving', text: 'Receiving audio', attrs: { hidden: true } });
    this.micStatus = el('p', { className: 'settings-status', attrs: { 'aria-live': 'polite' } });
    this.gain = this.slider('settings-gain', 'Input gain', 200, (value) => void this.layer.setInputGain(value / 100));
    return el(
      'section',
      { className: 'settings-group' },
      heading('settings-mic-heading', 'Microphone'),
      this.picker('audioinput', 'settings-mic', 'settings-mic-heading'),
      el('div', { className: 'settings-meter', attrs: { 'aria-hidden': 'true' } }, this.meterFill),
      el('p', { className: 'settings-meter-text' }, this.receiving),
      this.micStatus,
      this.gain.row,
      el('div', { className: 'settings-switches' }, ...PROCESSING.map(([name, text]) => this.switchButton(name, text))),
    );
  }

  /**
   * A labelled 0..max % range with its value shown; applied when released, not on every step.
   * @param {string} id @param {string} label @param {number} max @param {(value: number) => void} apply
   */
  slider(id, label, max, apply) {
    const input = /** @type {HTMLInputElement} */ (
      el('input', { className: 'settings-range', attrs: { id, type: 'range', min: 0, max, step: 5 } })
    );
    const output = el('output', { className: 'settings-range-value', attrs: { for: id } });
    const display = () => {
      setText(output, `${input.value} %`);
      setAttr(input, 'aria-valuetext', `${input.value} %`);
    };
    input.addEventListener('input', display);
    input.addEventListener('change', () => apply(Number(input.value)));
    const set = (/** @type {number} */ percent) => {
      if (focused(input) || input.value === String(percent)) return;
      input.value = String(percent);
      display();
    };
    const caption = el('label', { attrs: { for: id }, text: label });
    return { row: el('div', { className: 'settings-range-row' }, caption, input, output), set };
  }

  /** @param {Processing} name @param {string} label */
  switchButton(name, label) {
    const button = el(
      'button',
      {
        className: 'settings-switch',
        attrs: { type: 'button', 'aria-pressed': 'true' },
        on: { click: () => void this.toggleProcessing(name) },
      },
      el('span', { className: 'settings-switch-track', attrs: { 'aria-hidden': 'true' } }),
      label,
    );
    this.switches.set(name, button);
    return button;
  }

  buildSpeaker() {
    this.speakerNote = el('p', {
      className: 'settings-note',
      text: 'This browser plays calls on the system’s default speaker.',
      attrs: { hidden: true },
    });
    this.speakerTest = el('button', {
      className: 'button button-small',
      attrs: { type: 'button', id: 'settings-speaker-test' },
      text: 'Test speaker',
      on: { click: () => void this.testSpeaker() },
    });
    return el(
      'section',
      { className: 'settings-group' },
      heading('settings-speaker-heading', 'Speaker'),
      this.picker('audiooutput', 'settings-speaker', 'settings-speaker-heading'),
      this.speakerNote,
      this.speakerTest,
    );
  }

  buildCamera() {
    return el(
      'section',
      { className: 'settings-group' },
      heading('settings-camera-heading', 'Camera'),
      this.picker('videoinput', 'settings-camera', 'settings-camera-heading'),
    );
  }

  buildHotkeys() {
    this.hotkeyMessage = el('p', { className: 'settings-note', attrs: { 'aria-live': 'polite' } });
    this.swapButton = el('button', {
      className: 'button button-small',
      attrs: { type: 'button', hidden: true },
      text: 'Swap keys',
      on: { click: () => this.rebind((r) => r.swap(), this.rebinding.state.conflict?.action) },
    });
    const rows = hotkeyRows(this.layer.settings.get('hotkeys')).map(({ action, label }) => {
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
    });
    return el(
      'section',
      { className: 'settings-group' },
      heading('settings-hotkeys-heading', 'Hotkeys'),
      el('ul', { className: 'settings-hotkeys' }, ...rows),
      el('p', { className: 'settings-hint', text: 'Push to Talk works when push-to-talk mode is on.' }),
      el('div', { className: 'settings-hotkey-message' }, this.hotkeyMessage, this.swapButton),
    );
  }

  buildSounds() {
    const pack = /** @type {HTMLSelectElement} */ (
      el('select', { className: 'settings-select', attrs: { id: 'settings-sound-pack' } })
    );
    fillSelect(pack, soundPackChoices());
    pack.addEventListener('change', () => {
      this.layer.settings.set('soundPack', /** @type {any} */ (pack.value));
      show(this.chips, pack.value !== 'none');
    });
    this.pack = pack;
    this.volume = this.slider('settings-sound-volume', 'Volume', 100, (value) => {
      this.layer.settings.set('notificationVolume', value / 100);
      void this.layer.previewSound(/** @type {any} */ (pack.value), 'join');
    });
    const chip = (/** @type {import('../../media/sounds.js').SoundEvent} */ event) =>
      el('button', {
        className: 'settings-chip',
        attrs: { type: 'button', 'aria-label': `Preview the ${SOUND_EVENT_LABELS[event]} sound` },
        on: { click: () => void this.layer.previewSound(/** @type {any} */ (pack.value), event) },
      }, icon('volume'), SOUND_EVENT_LABELS[event]);
    const group = { role: 'group', 'aria-label': 'Preview sounds' };
    this.chips = el('div', { className: 'settings-chips', attrs: group }, ...SOUND_EVENTS.map(chip));
    return el(
      'section',
      { className: 'settings-group' },
      heading('settings-sounds-heading', 'Notification sounds'),
      el('label', { className: 'settings-label', attrs: { for: 'settings-sound-pack' }, text: 'Sound pack' }),
      pack,
      this.volume.row,
      this.chips,
    );
  }

  // --- Opening, closing, placing ----------------------------------------------------------------

  opened() {
    this.place();
    window.addEventListener('resize', this.onResize);
    // Capturing on window runs before the hotkeys and before the panel's own Escape handling.
    window.addEventListener('keydown', this.onKey, true);
    // Labels appear once the mic is allowed, which the layer's last listing may predate.
    void this.layer.refreshDevices();
    this.sync(true);
    this.restartMeter();
  }

  closed() {
    window.removeEventListener('resize', this.onResize);
    window.removeEventListener('keydown', this.onKey, true);
    this.rebinding.reset();
    this.showRebinding();
    this.stopMeter();
    this.stopMeter = () => {};
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

  // --- Showing state ----------------------------------------------------------------------------

  /** @param {boolean} fresh  just opened: refill even what has focus */
  sync(fresh) {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    for (const kind of /** @type {DeviceKind[]} */ (['audioinput', 'audiooutput', 'videoinput'])) {
      const select = this.pickers[kind];
      if (focused(select) && !fresh) continue;
      const list = snapshot.devices.lists[kind] ?? [];
      const { options, value } = deviceChoices(list, snapshot.devices.active[kind]);
      fillSelect(select, options.length ? options : [{ value: '', label: `No ${DEVICE_NAMES[kind]} found` }]);
      select.disabled = !options.length;
      if (select.value !== value) select.value = value;
    }
    show(this.pickers.audiooutput, snapshot.audio.outputSelectable);
    show(/** @type {HTMLElement} */ (this.speakerNote), !snapshot.audio.outputSelectable);
    this.syncSettings(snapshot);
  }

  /** @param {import('../../media/snapshot.js').MediaSnapshot} snapshot */
  syncSettings(snapshot) {
    const { settings } = this.layer;
    const hotkeys = settings.get('hotkeys');
    const status = micStatus({
      connected: snapshot.connection.state === 'connected',
      mic: snapshot.mic,
      pushToTalkKey: hotkeys.pushToTalk,
    });
    const line = /** @type {HTMLElement} */ (this.micStatus);
    setText(line, status.text);
    if (line.dataset.tone !== status.tone) line.dataset.tone = status.tone;
    this.gain.set(toPercent(settings.get('inputGain')));
    for (const [name, button] of this.switches) setAttr(button, 'aria-pressed', String(settings.get(name)));
    for (const row of hotkeyRows(hotkeys)) this.showKey(row);
    const pack = /** @type {HTMLSelectElement} */ (this.pack);
    if (!focused(pack) && pack.value !== settings.get('soundPack')) pack.value = settings.get('soundPack');
    show(/** @type {HTMLElement} */ (this.chips), pack.value !== 'none');
    this.volume.set(toPercent(settings.get('notificationVolume')));
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

  /** @param {number} level 0..1, once per frame */
  showLevel(level) {
    const fill = /** @type {HTMLElement} */ (this.meterFill);
    const width = `${Math.round(meterPercent(level))}%`;
    if (fill.style.width !== width) fill.style.width = width;
    const colour = meterColour(level);
    if (fill.dataset.level !== colour) fill.dataset.level = colour;
    show(/** @type {HTMLElement} */ (this.receiving), this.receivingNow(level, performance.now()));
  }

  /** Meters the published mic again: after a device or processing change it is a new track. */
  restartMeter() {
    this.stopMeter();
    this.stopMeter = () => {};
    if (!this.popover?.isOpen || !this.snapshot) return;
    this.meter = { key: meterKey(this.snapshot), started: performance.now(), wired: false };
    this.receivingNow = receivingHold(RECEIVING_HOLD_MS);
    this.showLevel(0);
    this.stopMeter = this.layer.startMicMeter((level) => {
      this.meter.wired = true;
      this.showLevel(level);
    });
  }

  // --- Acting -----------------------------------------------------------------------------------

  /** @param {DeviceKind} kind @param {string} deviceId */
  async chooseDevice(kind, deviceId) {
    if (!deviceId) return;
    await this.layer.chooseDevice(kind, deviceId);
    if (kind === 'audioinput') this.restartMeter();
  }

  /** @param {Processing} name */
  async toggleProcessing(name) {
    if (this.busy.has(name)) return;
    const button = /** @type {HTMLElement} */ (this.switches.get(name));
    const on = button.getAttribute('aria-pressed') !== 'true';
    setAttr(button, 'aria-pressed', String(on));
    this.busy.add(name);
    try {
      await this.layer.setProcessing({ [name]: on });
    } finally {
      this.busy.delete(name);
    }
    this.restartMeter();
  }

  async testSpeaker() {
    const button = /** @type {HTMLElement} */ (this.speakerTest);
    if (button.getAttribute('aria-disabled') === 'true') return;
    // aria-disabled, not disabled: a disabled button drops focus, and Escape with it.
    setAttr(button, 'aria-disabled', 'true');
    setText(button, 'Playing…');
    try {
      await this.layer.testSpeaker();
      await new Promise((resolve) => setTimeout(resolve, SPEAKER_TEST_MS));
    } finally {
      setAttr(button, 'aria-disabled', null);
      setText(button, 'Test speaker');
    }
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
    setText(/** @type {HTMLElement} */ (this.hotkeyMessage), message);
    show(/** @type {HTMLElement} */ (this.swapButton), conflict !== null);
    for (const row of hotkeyRows(this.layer.settings.get('hotkeys'))) this.showKey(row);
  }
}

/**
 * What the metered track depends on: a new room, microphone or failure means a new track.
 * @param {import('../../media/snapshot.js').MediaSnapshot} snapshot
 */
function meterKey({ connection, devices, mic }) {
  return `${connection.state}|${connection.roomId}|${devices.active.audioinput}|${mic.problem}`;
}
