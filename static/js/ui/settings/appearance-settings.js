// The appearance tab of the settings: dark, light, or the system's choice, remembered as the
// sun/moon button remembers it (lib/theme.js), which it keeps in step.

import { THEME_KEY, otherTheme, resolveTheme } from '../../lib/theme.js';
import { el, setAttr } from '../dom.js';
import { applyTheme, currentTheme } from '../theme-toggle.js';

const CHOICES = /** @type {const} */ ([
  ['system', 'Same as the system'],
  ['dark', 'Dark'],
  ['light', 'Light'],
]);

export class AppearanceSettings {
  build() {
    this.radios = CHOICES.map(([value, label]) => {
      const input = /** @type {HTMLInputElement} */ (el('input', {
        attrs: { type: 'radio', name: 'theme-choice', value },
        on: { change: () => this.choose(value) },
      }));
      return { input, row: el('label', { className: 'choice' }, input, ` ${label}`) };
    });
    this.sync();
    return el('fieldset', { className: 'settings-group choice-group' },
      el('legend', { className: 'settings-heading', text: 'Theme' }),
      ...this.radios.map(({ row }) => row));
  }

  sync() {
    const chosen = stored() ?? 'system';
    for (const { input } of this.radios ?? []) input.checked = input.value === chosen;
  }

  /** @param {string} value */
  choose(value) {
    try {
      if (value === 'system') window.localStorage.removeItem(THEME_KEY);
      else window.localStorage.setItem(THEME_KEY, value);
    } catch {
      // Without storage the choice lasts for this page only.
    }
    const prefersLight = window.matchMedia('(prefers-color-scheme: light)').matches;
    applyTheme(resolveTheme(value === 'system' ? null : value, prefersLight));
    const toggle = document.getElementById('theme-toggle');
    if (toggle) setAttr(toggle, 'aria-label', `Switch to ${otherTheme(currentTheme())} theme`);
  }
}

function stored() {
  try {
    return window.localStorage.getItem(THEME_KEY);
  } catch {
    return null;
  }
}
