// The settings panel's speaker and camera sections: their pickers, and the speaker's test tone
// or, where the browser cannot choose a speaker, a note saying calls play on the default one.

import { el, setAttr, setText, show } from '../dom.js';
import { devicePicker, settingsGroup } from './settings-controls.js';

/** @typedef {import('../../media/models/media-snapshot.js').MediaSnapshot} MediaSnapshot */
/** @typedef {import('../../media/adapters/browser-media.js').BrowserMedia} BrowserMedia */

/** 1.x kept "Playing…" up for the test tone's 0.7 s and a little more. */
const SPEAKER_TEST_MS = 800;

export class SpeakerSettings {
  /** @param {{ layer: BrowserMedia }} deps */
  constructor({ layer }) {
    this.layer = layer;
    this.picker = devicePicker('audiooutput', 'settings-speaker', 'settings-speaker-heading', (deviceId) =>
      this.layer.chooseDevice('audiooutput', deviceId),
    );
    this.note = el('p', {
      className: 'settings-note',
      text: 'This browser plays calls on the system’s default speaker.',
      attrs: { hidden: true },
    });
    this.test = el('button', {
      className: 'button button-small',
      attrs: { type: 'button', id: 'settings-speaker-test' },
      text: 'Test speaker',
      on: { click: () => void this.testSpeaker() },
    });
  }

  build() {
    return settingsGroup('settings-speaker-heading', 'Speaker', this.picker.select, this.note, this.test);
  }

  /** @param {MediaSnapshot} snapshot @param {boolean} fresh  just opened */
  render(snapshot, fresh) {
    this.picker.render(snapshot, fresh);
    show(this.picker.select, snapshot.audio.outputSelectable);
    show(this.note, !snapshot.audio.outputSelectable);
  }

  async testSpeaker() {
    if (this.test.getAttribute('aria-disabled') === 'true') return;
    // aria-disabled, not disabled: a disabled button drops focus, and Escape with it.
    setAttr(this.test, 'aria-disabled', 'true');
    setText(this.test, 'Playing…');
    try {
      await this.layer.testSpeaker();
      await new Promise((resolve) => setTimeout(resolve, SPEAKER_TEST_MS));
    } finally {
      setAttr(this.test, 'aria-disabled', null);
      setText(this.test, 'Test speaker');
    }
  }
}

export class CameraSettings {
  /** @param {{ layer: BrowserMedia }} deps */
  constructor({ layer }) {
    this.picker = devicePicker('videoinput', 'settings-camera', 'settings-camera-heading', (deviceId) =>
      layer.chooseDevice('videoinput', deviceId),
    );
  }

  build() {
    return settingsGroup('settings-camera-heading', 'Camera', this.picker.select);
  }

  /** @param {MediaSnapshot} snapshot @param {boolean} fresh  just opened */
  render(snapshot, fresh) {
    this.picker.render(snapshot, fresh);
  }
}
