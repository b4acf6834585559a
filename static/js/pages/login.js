// Entry point of the sign-in page: one form that switches between signing in and registering.

import { createApi, readCookie } from '../lib/api.js';
import { readConfig } from '../lib/config.js';
import { messageOf } from '../lib/controller.js';
import { byId, setText, show } from '../ui/dom.js';
import { mountThemeFromStorage } from '../ui/theme-toggle.js';

const config = readConfig(document);
const api = createApi({ csrfToken: () => readCookie(config.csrfCookieName, document.cookie) });

const form = /** @type {HTMLFormElement} */ (byId('auth-form'));
const username = /** @type {HTMLInputElement} */ (byId('username'));
const displayName = /** @type {HTMLInputElement} */ (byId('display-name'));
const password = /** @type {HTMLInputElement} */ (byId('password'));
const error = byId('auth-error');
const submit = /** @type {HTMLButtonElement} */ (byId('auth-submit'));
let registering = false;
let busy = false;

function renderMode() {
  form.dataset.mode = registering ? 'register' : 'login';
  show(byId('display-name-field'), registering);
  setText(byId('auth-heading'), registering ? 'Create an account' : 'Sign in');
  setText(submit, busy ? 'Please wait...' : registering ? 'Create Account' : 'Sign In');
  setText(byId('toggle-prompt'), registering ? 'Already have an account?' : "Don't have an account?");
  setText(byId('mode-toggle'), registering ? 'Sign In' : 'Register');
  password.autocomplete = registering ? 'new-password' : 'current-password';
}

byId('mode-toggle').addEventListener('click', () => {
  // Field values and the current error stay, as in 1.x.
  registering = !registering;
  renderMode();
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (busy) return;
  busy = true;
  submit.disabled = true;
  renderMode();
  setText(error, '');
  try {
    if (registering) {
      await api.register(username.value, displayName.value.trim() || username.value, password.value);
    } else {
      await api.login(username.value, password.value);
    }
    window.location.assign('/');
  } catch (failure) {
    setText(error, messageOf(failure));
    busy = false;
    submit.disabled = false;
    renderMode();
    // The disabled button dropped the focus to the page: put it where the fix is typed.
    const retype = registering ? username : password;
    retype.focus();
    retype.select();
  }
});

mountThemeFromStorage();
renderMode();
