// The settings panel's notification sounds section: the pack, its volume, and a preview chip per
// event. A volume change plays the join sound, so the level is heard as it is chosen.

import { soundPackChoices, toPercent } from '../../media/models/settings-model.js';
import { SOUND_EVENTS, SOUND_EVENT_LABELS } from '../../media/rules/sound-packs.js';
import { el, icon, show } from '../dom.js';
import { fillSelect, focused, settingsGroup, slider } from './settings-controls.js';

export class SoundSettings {
  /** @param {{ layer: import('../../media/adapters/browser-media.js').BrowserMedia }} deps */
  constructor({ layer }) {
    this.layer = layer;
    this.pack = /** @type {HTMLSelectElement} */ (
      el('select', { className: 'settings-select', attrs: { id: 'settings-sound-pack' } })
    );
    fillSelect(this.pack, soundPackChoices());
    this.pack.addEventListener('change', () => {
      this.layer.settings.set('soundPack', /** @type {any} */ (this.pack.value));
      show(this.chips, this.pack.value !== 'none');
    });
    this.volume = slider('settings-sound-volume', 'Volume', 100, (value) => {
      this.layer.settings.set('notificationVolume', value / 100);
      void this.layer.previewSound(/** @type {any} */ (this.pack.value), 'join');
    });
    const group = { role: 'group', 'aria-label': 'Preview sounds' };
    this.chips = el('div', { className: 'settings-chips', attrs: group }, ...SOUND_EVENTS.map((e) => this.chip(e)));
  }

  build() {
    return settingsGroup(
      'settings-sounds-heading',
      'Notification sounds',
      el('label', { className: 'settings-label', attrs: { for: 'settings-sound-pack' }, text: 'Sound pack' }),
      this.pack,
      this.volume.row,
      this.chips,
    );
  }

  /** @param {import('../../media/rules/sound-packs.js').SoundEvent} event */
  chip(event) {
    return el('button', {
      className: 'settings-chip',
      attrs: { type: 'button', 'aria-label': `Preview the ${SOUND_EVENT_LABELS[event]} sound` },
      on: { click: () => void this.layer.previewSound(/** @type {any} */ (this.pack.value), event) },
    }, icon('volume'), SOUND_EVENT_LABELS[event]);
  }

  render() {
    const { settings } = this.layer;
    const chosen = settings.get('soundPack');
    if (!focused(this.pack) && this.pack.value !== chosen) this.pack.value = chosen;
    show(this.chips, this.pack.value !== 'none');
    this.volume.set(toPercent(settings.get('notificationVolume')));
  }
}
