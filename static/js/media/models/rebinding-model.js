// Rebinding a hotkey from the settings panel's key caps: which cap is listening, what the last
// attempt said, and a refused key that may be swapped. While a cap listens the hotkeys are off,
// so the key being chosen does not also act.

import { captureBinding } from '../rules/hotkeys.js';
import { rebindMessage } from './settings-model.js';

/** @typedef {import('../rules/hotkeys.js').HotkeyAction} HotkeyAction */

/**
 * @typedef {object} RebindState
 * @property {HotkeyAction | null} waiting                            the cap listening for a key
 * @property {string} message                                         said under the caps ('' for nothing)
 * @property {{ action: HotkeyAction, code: string } | null} conflict  a refused key that may be swapped
 */

/** @type {RebindState} */
const IDLE = Object.freeze({ waiting: null, message: '', conflict: null });

/**
 * @param {object} layer
 * @param {(action: HotkeyAction, code: string | null, options?: { swap?: boolean }) =>
 *   ReturnType<typeof import('../rules/hotkeys.js').rebind>} layer.setHotkey  applies and remembers
 * @param {(value: boolean) => void} layer.setRebinding               hotkeys off while listening
 */
export function createRebinding({ setHotkey, setRebinding }) {
  /** @type {RebindState} */
  let state = IDLE;

  function stopListening() {
    if (state.waiting) setRebinding(false);
  }

  /** @param {string} [message] what to say; the last message stays when omitted */
  function cancel(message) {
    if (!state.waiting) return;
    stopListening();
    state = { waiting: null, message: message ?? state.message, conflict: null };
  }

  /** @param {HotkeyAction} action @param {string | null} code @param {boolean} swap */
  function bind(action, code, swap) {
    stopListening();
    const result = setHotkey(action, code, { swap });
    const said = rebindMessage(action, code, result);
    state = { waiting: null, message: said.text, conflict: said.conflict && code ? { action, code } : null };
  }

  return {
    get state() {
      return state;
    },
    /** A click on a cap: it listens, or, if it already was, stops (as in 1.x). @param {HotkeyAction} action */
    press(action) {
      if (state.waiting === action) {
        cancel('Kept the old key.');
        return;
      }
      stopListening();
      setRebinding(true);
      state = { waiting: action, message: 'Press a key, or Escape to cancel.', conflict: null };
    },
    /**
     * A keydown anywhere on the page.
     * @param {import('../rules/hotkeys.js').KeyEventLike} event
     * @returns {boolean} the key was taken: the caller stops it from doing anything else
     */
    keydown(event) {
      if (!state.waiting) return false;
      const outcome = captureBinding(event, { chords: state.waiting !== 'pushToTalk' });
      // Tab still moves focus and Ctrl/Alt/Cmd shortcuts stay the browser's.
      if (outcome.kind === 'ignore') return false;
      if (outcome.kind === 'cancel') cancel('Kept the old key.');
      else bind(state.waiting, outcome.code, false);
      return true;
    },
    cancel,
    /** Takes the refused key anyway; the other action gets this one's old key. */
    swap() {
      if (state.conflict) bind(state.conflict.action, state.conflict.code, true);
    },
    /** @param {HotkeyAction} action */
    clear(action) {
      bind(action, null, false);
    },
    /** The panel closed: stop listening and forget what was said. */
    reset() {
      stopListening();
      state = IDLE;
    },
  };
}
