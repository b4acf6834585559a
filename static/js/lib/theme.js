// The colour theme: the person's choice (persisted), else the system's preference, else dark.

export const THEME_KEY = 'distokoloshe_theme';

/**
 * @param {string|null} stored what localStorage holds
 * @param {boolean|null} systemPrefersLight null when the browser does not say
 * @returns {'dark'|'light'}
 */
export function resolveTheme(stored, systemPrefersLight) {
  if (stored === 'dark' || stored === 'light') return stored;
  return systemPrefersLight === true ? 'light' : 'dark';
}

/** @param {'dark'|'light'} theme */
export function otherTheme(theme) {
  return theme === 'dark' ? 'light' : 'dark';
}
