// The settings panel's noise cancellation section (2.x's "Audio Processing"): a switch, and the
// engine once it is on. Hidden where AudioWorklet is missing. Self-contained: it needs only the
// media layer, so it can move to any settings dialog.

import { NOISE_ENGINES } from '../../media/rules/noise.js';
import { el, setAttr, setText, show } from '../dom.js';
import { fillSelect, focused, settingsGroup } from './settings-controls.js';

export class NoiseSettings {
  /** @param {{ layer: import('../../media/adapters/browser-media.js').BrowserMedia }} deps */
  constructor({ layer }) {
    this.layer = layer;
    this.busy = false;
    this.toggle = el(
      'button',
      {
        className: 'settings-switch',
        attrs: { type: 'button', id: 'settings-noise-cancellation', 'aria-pressed': 'false' },
        on: { click: () => void this.apply({ on: !layer.settings.get('noiseCancellation') }) },
      },
      el('span', { className: 'settings-switch-track', attrs: { 'aria-hidden': 'true' } }),
      'Noise cancellation',
    );
    this.engine = /** @type {HTMLSelectElement} */ (
      el('select', { className: 'settings-select', attrs: { id: 'settings-noise-engine', 'aria-label': 'Engine' } })
    );
    fillSelect(this.engine, Object.entries(NOISE_ENGINES).map(([value, { label }]) => ({ value, label })));
    this.engine.addEventListener('change', () => void this.apply({ engine: /** @type {any} */ (this.engine.value) }));
    this.engineRow = el('div', { className: 'settings-noise-engine' }, el('label', { attrs: { for: 'settings-noise-engine' }, text: 'Engine' }), this.engine);
    this.hint = el('p', { className: 'settings-hint' });
  }

  build() {
    const group = settingsGroup('settings-noise-heading', 'Audio Processing', this.toggle, this.engineRow, this.hint);
    show(group, this.layer.noiseCancellationSupported);
    return group;
  }

  render() {
    const { settings } = this.layer;
    const on = settings.get('noiseCancellation');
    const engine = settings.get('noiseEngine');
    setAttr(this.toggle, 'aria-pressed', String(on));
    show(this.engineRow, on);
    if (!focused(this.engine) && this.engine.value !== engine) this.engine.value = engine;
    setText(this.hint, on ? NOISE_ENGINES[engine].hint : 'Cleans background noise from your microphone before it is sent.');
  }

  /** @param {{ on?: boolean, engine?: import('../../media/rules/noise.js').NoiseEngine }} change */
  async apply(change) {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.layer.setNoiseCancellation(change);
    } finally {
      this.busy = false;
    }
    this.render();
  }
}
