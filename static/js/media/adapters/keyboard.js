// Wires the hotkey rules (hotkeys.js) to keyboard events on the page.

import { createPushToTalk, matchHotkey } from '../rules/hotkeys.js';

/**
 * @param {object} deps
 * @param {EventTarget} deps.target       usually `window`
 * @param {{ hidden?: boolean } & EventTarget} [deps.document]  to release push-to-talk when the page is hidden
 * @param {() => import('../rules/hotkeys.js').HotkeyBindings} deps.bindings
 * @param {() => { active: boolean, pushToTalk: boolean }} deps.mode  active = in a call, not rebinding
 * @param {(action: 'toggleMute' | 'toggleDeafen' | 'captureSoundbites') => void} deps.onAction
 * @param {(held: boolean) => void} deps.onPushToTalk
 * @returns {() => void} stops listening
 */
export function listenHotkeys({ target, document, bindings, mode, onAction, onPushToTalk }) {
  const ptt = createPushToTalk(onPushToTalk);

  /** @param {Event} e */
  const keydown = (e) => {
    const event = /** @type {KeyboardEvent} */ (e);
    const { active, pushToTalk } = mode();
    if (!active) return;
    const keys = bindings();
    if (pushToTalk && ptt.keydown(event, keys.pushToTalk)) {
      event.preventDefault();
      return;
    }
    const action = matchHotkey(event, keys);
    if (!action || action === 'pushToTalk') return;
    event.preventDefault();
    // Holding M must not flap the mic on and off.
    if (!event.repeat) onAction(action);
  };
  /** @param {Event} e */
  const keyup = (e) => {
    if (ptt.keyup(/** @type {KeyboardEvent} */ (e), bindings().pushToTalk)) e.preventDefault();
  };
  const release = () => ptt.release();
  const visibility = () => document?.hidden && ptt.release();

  target.addEventListener('keydown', keydown);
  target.addEventListener('keyup', keyup);
  target.addEventListener('blur', release);
  document?.addEventListener('visibilitychange', visibility);
  return () => {
    ptt.release();
    target.removeEventListener('keydown', keydown);
    target.removeEventListener('keyup', keyup);
    target.removeEventListener('blur', release);
    document?.removeEventListener('visibilitychange', visibility);
  };
}
