// The settings panel's microphone section: the picker, a level meter on the live mic track (or,
// with no call holding the mic, a test that captures it on request), the line saying whether
// people can hear me, input gain and the capture processing switches.

import { meterColour, meterPercent } from '../../media/rules/level-meter.js';
import { micStatus, receivingHold, toPercent } from '../../media/models/settings-model.js';
import { micProblemText } from '../../media/adapters/microphone.js';
import { el, setAttr, setText, show } from '../dom.js';
import { devicePicker, settingsGroup, slider } from './settings-controls.js';

/** @typedef {'noiseSuppression' | 'echoCancellation' | 'autoGainControl'} Processing */
/** @typedef {import('../../media/models/media-snapshot.js').MediaSnapshot} MediaSnapshot */

const PROCESSING = /** @type {const} */ ([
  ['noiseSuppression', 'Noise suppression'],
  ['echoCancellation', 'Echo cancellation'],
  ['autoGainControl', 'Automatic gain control'],
]);
/** A meter started before the mic was published gets no frames; it is retried this often. */
const METER_RETRY_MS = 1000;
const RECEIVING_HOLD_MS = 1000;

export class MicrophoneSettings {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {() => boolean} deps.isOpen  a meter runs only while the panel is open
   */
  constructor({ layer, isOpen }) {
    this.layer = layer;
    this.isOpen = isOpen;
    /** @type {MediaSnapshot | null} */
    this.snapshot = null;
    /** @type {Map<Processing, HTMLElement>} */
    this.switches = new Map();
    this.stopMeter = () => {};
    this.meter = { key: '', started: 0, wired: false };
    this.receivingNow = receivingHold(RECEIVING_HOLD_MS);
    this.busy = new Set();
    this.picker = devicePicker('audioinput', 'settings-mic', 'settings-mic-heading', async (deviceId) => {
      await this.layer.chooseDevice('audioinput', deviceId);
      this.restartMeter();
      this.retest();
    });
    this.meterFill = el('div', { className: 'settings-meter-fill' });
    this.receiving = el('span', { className: 'settings-receiving', text: 'Receiving audio', attrs: { hidden: true } });
    this.status = el('p', { className: 'settings-status', attrs: { 'aria-live': 'polite' } });
    this.gain = slider('settings-gain', 'Input gain', 200, (value) => void this.layer.setInputGain(value / 100));
    /** The running test's stop, while the mic is captured for the test alone. */
    this.test = /** @type {null | { stop: () => void }} */ (null);
    this.testButton = el('button', {
      className: 'button button-small settings-mic-test',
      attrs: { type: 'button', id: 'settings-mic-test', hidden: true },
      text: 'Test microphone',
      on: { click: () => void (this.test ? this.stopTest() : this.startTest()) },
    });
  }

  build() {
    return settingsGroup(
      'settings-mic-heading',
      'Microphone',
      this.picker.select,
      el('div', { className: 'settings-meter', attrs: { 'aria-hidden': 'true' } }, this.meterFill),
      el('p', { className: 'settings-meter-text' }, this.receiving),
      this.testButton,
      this.status,
      this.gain.row,
      el('div', { className: 'settings-switches' }, ...PROCESSING.map(([name, text]) => this.switchButton(name, text))),
    );
  }

  /** @param {MediaSnapshot} snapshot @param {boolean} fresh  just opened */
  render(snapshot, fresh) {
    this.snapshot = snapshot;
    this.picker.render(snapshot, fresh);
    const { settings } = this.layer;
    const status = micStatus({
      connected: snapshot.connection.state === 'connected',
      mic: snapshot.mic,
      pushToTalkKey: settings.get('hotkeys').pushToTalk,
    });
    const captured = this.layer.micCaptured();
    // Outside a call (or before the first unmute) the mic is only captured for a test.
    show(this.testButton, !captured);
    if (captured && this.test) this.stopTest();
    if (!captured) this.stopLiveMeter();
    if (!this.test || status.tone === 'problem') {
      setText(this.status, status.text);
      if (this.status.dataset.tone !== status.tone) this.status.dataset.tone = status.tone;
    }
    this.gain.set(toPercent(settings.get('inputGain')));
    for (const [name, button] of this.switches) setAttr(button, 'aria-pressed', String(settings.get(name)));
    // Opening meters afresh; after that only a new track, or a meter that never heard a frame.
    const unheard = !this.meter.wired && performance.now() - this.meter.started > METER_RETRY_MS;
    if (captured && (fresh || unheard || meterKey(snapshot) !== this.meter.key)) this.restartMeter();
  }

  closed() {
    this.stopLiveMeter();
    this.stopTest();
  }

  stopLiveMeter() {
    this.stopMeter();
    this.stopMeter = () => {};
  }

  async startTest() {
    this.stopTest();
    setText(this.testButton, 'Stop test');
    this.receivingNow = receivingHold(RECEIVING_HOLD_MS);
    const result = await this.layer.startMicTest((level) => this.showLevel(level));
    if (!result.ok) {
      setText(this.testButton, 'Test microphone');
      this.tell(micProblemText(result.problem), 'problem');
      return;
    }
    if (!this.isOpen()) {
      result.stop();
      return;
    }
    this.test = result;
    this.tell('Testing — speak, and the meter moves. Nobody else hears this.', 'live');
  }

  /** A running test follows the chosen device and switches: it captures afresh. */
  retest() {
    if (this.test) void this.startTest();
  }

  stopTest() {
    if (!this.test) return;
    this.test.stop();
    this.test = null;
    setText(this.testButton, 'Test microphone');
    this.showLevel(0);
    if (this.snapshot) this.render(this.snapshot, false);
  }

  /** @param {string} text @param {string} tone */
  tell(text, tone) {
    setText(this.status, text);
    this.status.dataset.tone = tone;
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
    this.retest();
  }

  /** @param {number} level 0..1, once per frame */
  showLevel(level) {
    const width = `${Math.round(meterPercent(level))}%`;
    if (this.meterFill.style.width !== width) this.meterFill.style.width = width;
    const colour = meterColour(level);
    if (this.meterFill.dataset.level !== colour) this.meterFill.dataset.level = colour;
    show(this.receiving, this.receivingNow(level, performance.now()));
  }

  /** Meters the published mic again: after a device or processing change it is a new track. */
  restartMeter() {
    this.stopMeter();
    this.stopMeter = () => {};
    if (!this.isOpen() || !this.snapshot) return;
    this.meter = { key: meterKey(this.snapshot), started: performance.now(), wired: false };
    this.receivingNow = receivingHold(RECEIVING_HOLD_MS);
    this.showLevel(0);
    this.stopMeter = this.layer.startMicMeter((level) => {
      this.meter.wired = true;
      this.showLevel(level);
    });
  }
}

/**
 * What the metered track depends on: a new room, microphone or failure means a new track.
 * @param {MediaSnapshot} snapshot
 */
function meterKey({ connection, devices, mic }) {
  return `${connection.state}|${connection.roomId}|${devices.active.audioinput}|${mic.problem}`;
}
