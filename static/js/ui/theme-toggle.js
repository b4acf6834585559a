// The sun/moon button: flips the theme and remembers the choice.

import { THEME_KEY, otherTheme, resolveTheme } from '../lib/theme.js';
import { setAttr } from './dom.js';

/** @returns {'dark'|'light'} */
export function currentTheme() {
  return document.documentElement.classList.contains('theme-light') ? 'light' : 'dark';
}

/** @param {'dark'|'light'} theme */
export function applyTheme(theme) {
  const root = document.documentElement;
  root.classList.remove('theme-dark', 'theme-light');
  root.classList.add(`theme-${theme}`);
}

function stored() {
  try {
    return window.localStorage.getItem(THEME_KEY);
  } catch {
    return null;
  }
}

/** @param {HTMLElement} button */
export function mountThemeToggle(button) {
  const query = window.matchMedia('(prefers-color-scheme: light)');
  const label = () => setAttr(button, 'aria-label', `Switch to ${otherTheme(currentTheme())} theme`);
  applyTheme(resolveTheme(stored(), query.matches));
  label();
  button.addEventListener('click', () => {
    const next = otherTheme(currentTheme());
    applyTheme(next);
    try {
      window.localStorage.setItem(THEME_KEY, next);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
    label();
  });
  // Until someone chooses, follow the system as it changes.
  query.addEventListener('change', () => {
    if (stored() === null) {
      applyTheme(resolveTheme(null, query.matches));
      label();
    }
  });
}

/** Pages without a toggle still follow the saved choice and the system. */
export function mountThemeFromStorage() {
  const query = window.matchMedia('(prefers-color-scheme: light)');
  applyTheme(resolveTheme(stored(), query.matches));
  query.addEventListener('change', () => {
    if (stored() === null) applyTheme(resolveTheme(null, query.matches));
  });
}
