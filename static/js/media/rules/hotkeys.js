// Keyboard shortcuts for the call: matching, rebinding, conflicts, push-to-talk.
//
// Bindings are KeyboardEvent.code values (physical keys, layout-independent), as in 1.x, or
// 2.x's `[Ctrl+][Alt+][Shift+][Meta+]<code>` for a chord (Save Soundbites is Ctrl+Shift+S).
// Fixes W-B14: a plain key pressed with Ctrl, Cmd or Alt never triggers an action (Ctrl+D stays
// the browser's bookmark shortcut), a chord fires only with exactly its modifiers, two actions
// cannot share a key, and push-to-talk exists.

/** @typedef {'toggleMute' | 'toggleDeafen' | 'pushToTalk' | 'captureSoundbites'} HotkeyAction */
/** @typedef {Record<HotkeyAction, string | null>} HotkeyBindings  null = unbound */

/** In priority order: if stored data ever holds a shared key, the earlier action wins. */
export const HOTKEY_ACTIONS = /** @type {readonly HotkeyAction[]} */ (
  Object.freeze(['toggleMute', 'toggleDeafen', 'pushToTalk', 'captureSoundbites'])
);

export const HOTKEY_LABELS = Object.freeze({
  toggleMute: 'Toggle Mute',
  toggleDeafen: 'Toggle Deafen',
  pushToTalk: 'Push to Talk',
  captureSoundbites: 'Save Soundbites',
});

/** @type {Readonly<HotkeyBindings>} */
export const DEFAULT_HOTKEYS = Object.freeze({
  toggleMute: 'KeyM',
  toggleDeafen: 'KeyD',
  pushToTalk: 'KeyV',
  captureSoundbites: 'Ctrl+Shift+KeyS',
});

/** Chord modifiers in 2.x's order, with the KeyboardEvent flag each one reads. */
const MODIFIERS = /** @type {const} */ ([
  ['Ctrl', 'ctrlKey'],
  ['Alt', 'altKey'],
  ['Shift', 'shiftKey'],
  ['Meta', 'metaKey'],
]);

/** Keys that are only modifiers: pressing one while capturing a chord waits for the real key. */
const MODIFIER_CODES = new Set([
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'ShiftLeft',
  'ShiftRight',
  'MetaLeft',
  'MetaRight',
]);

/** Keys that keep their meaning: Escape cancels rebinding, Tab moves focus. */
const RESERVED = new Set(['Escape', 'Tab']);

/** Input types where a letter key is text, so shortcuts must stay quiet. */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'submit', 'reset', 'file', 'image']);

/**
 * @typedef {object} KeyEventLike
 * @property {string} code
 * @property {boolean} [ctrlKey]
 * @property {boolean} [metaKey]
 * @property {boolean} [altKey]
 * @property {boolean} [shiftKey]
 * @property {boolean} [repeat]
 * @property {boolean} [isComposing]
 * @property {unknown} [target]
 */

/**
 * Whether focus is somewhere the user types (inputs, text areas, selects, contenteditable).
 * @param {unknown} target
 */
export function isTypingTarget(target) {
  if (!target || typeof target !== 'object') return false;
  const el =
    /** @type {{ tagName?: string, type?: string, isContentEditable?: boolean, getAttribute?: (name: string) => string | null }} */ (
      target
    );
  if (el.isContentEditable) return true;
  const tag = String(el.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has(String(el.type ?? 'text').toLowerCase());
  return el.getAttribute?.('role') === 'textbox';
}

/**
 * Ctrl, Cmd (meta) and Alt (including AltGr, which reports Ctrl+Alt) belong to the browser, the
 * OS and text input; Shift alone does not.
 * @param {KeyEventLike} event
 */
export function hasShortcutModifier(event) {
  return Boolean(event.ctrlKey || event.metaKey || event.altKey);
}

/**
 * The action a keydown triggers, or null.
 * @param {KeyEventLike} event
 * @param {HotkeyBindings} bindings
 * @param {{ pushToTalk?: boolean }} [mode]  whether push-to-talk is the active mic mode
 * @returns {HotkeyAction | null}
 */
export function matchHotkey(event, bindings, mode = {}) {
  if (event.isComposing || isTypingTarget(event.target)) return null;
  for (const action of HOTKEY_ACTIONS) {
    if (action === 'pushToTalk' && !mode.pushToTalk) continue;
    if (bindingMatches(bindings[action], event)) return action;
  }
  return null;
}

/**
 * A binding's key and modifiers: "Ctrl+Shift+KeyS" → { code: "KeyS", modifiers: ["Ctrl", "Shift"] }.
 * @param {string} binding
 */
export function parseBinding(binding) {
  const parts = binding.split('+');
  const code = /** @type {string} */ (parts.pop());
  return { code, modifiers: parts };
}

/**
 * @param {string | null} binding
 * @param {KeyEventLike} event
 */
function bindingMatches(binding, event) {
  if (!binding) return false;
  const { code, modifiers } = parseBinding(binding);
  if (code !== event.code) return false;
  if (!modifiers.length) return !hasShortcutModifier(event);
  return MODIFIERS.every(([name, flag]) => modifiers.includes(name) === Boolean(event[flag]));
}

/**
 * A key cap's text: "KeyX" → "X", "DigitN" → "N", punctuation → its symbol, else the code; a
 * chord as 2.x shows it, "Ctrl + Shift + S".
 * @param {string | null} binding
 */
export function keyLabel(binding) {
  if (!binding) return 'Not set';
  const { code, modifiers } = parseBinding(binding);
  return [...modifiers, codeLabel(code)].join(' + ');
}

/** @param {string} code */
function codeLabel(code) {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  if (/^Numpad[0-9]$/.test(code)) return `Num ${code.slice(6)}`;
  const symbols = /** @type {Record<string, string>} */ ({
    Backquote: '`',
    Minus: '-',
    Equal: '=',
    BracketLeft: '[',
    BracketRight: ']',
    Backslash: '\\',
    Semicolon: ';',
    Quote: "'",
    Comma: ',',
    Period: '.',
    Slash: '/',
    Space: 'Space',
  });
  return symbols[code] ?? code;
}

/**
 * What a keydown means while a key cap is waiting for a new key. With `chords`, a key held with
 * Ctrl, Alt or Cmd binds as a chord (modifiers pressed alone wait for the key); without, such a
 * key is left to the browser (push-to-talk is a single key).
 * @param {KeyEventLike} event
 * @param {{ chords?: boolean }} [options]
 * @returns {{ kind: 'cancel' } | { kind: 'ignore' } | { kind: 'bind', code: string }}
 */
export function captureBinding(event, { chords = false } = {}) {
  if (event.code === 'Escape') return { kind: 'cancel' };
  if (!event.code || RESERVED.has(event.code)) return { kind: 'ignore' };
  if (!hasShortcutModifier(event)) return { kind: 'bind', code: event.code };
  if (!chords || MODIFIER_CODES.has(event.code)) return { kind: 'ignore' };
  const held = MODIFIERS.filter(([, flag]) => event[flag]).map(([name]) => name);
  return { kind: 'bind', code: [...held, event.code].join('+') };
}

/**
 * Which other action already uses `code`, if any.
 * @param {HotkeyBindings} bindings
 * @param {HotkeyAction} action
 * @param {string} code
 * @returns {HotkeyAction | null}
 */
export function conflictFor(bindings, action, code) {
  return HOTKEY_ACTIONS.find((other) => other !== action && bindings[other] === code) ?? null;
}

/**
 * Every pair of actions sharing a key (only possible in hand-edited or legacy data).
 * @param {HotkeyBindings} bindings
 * @returns {Array<[HotkeyAction, HotkeyAction]>}
 */
export function findConflicts(bindings) {
  /** @type {Array<[HotkeyAction, HotkeyAction]>} */
  const pairs = [];
  HOTKEY_ACTIONS.forEach((a, i) => {
    for (const b of HOTKEY_ACTIONS.slice(i + 1)) {
      if (bindings[a] && bindings[a] === bindings[b]) pairs.push([a, b]);
    }
  });
  return pairs;
}

/**
 * Binds `action` to `code` (or unbinds it with null). A key already used elsewhere is refused,
 * unless `swap` is set: then the other action takes over this action's old key.
 * @param {HotkeyBindings} bindings
 * @param {HotkeyAction} action
 * @param {string | null} code
 * @param {{ swap?: boolean }} [options]
 * @returns {{ ok: true, bindings: HotkeyBindings } | { ok: false, conflict: HotkeyAction } | { ok: false, reserved: string }}
 */
export function rebind(bindings, action, code, { swap = false } = {}) {
  if (code !== null && RESERVED.has(code)) return { ok: false, reserved: code };
  const conflict = code === null ? null : conflictFor(bindings, action, code);
  if (conflict && !swap) return { ok: false, conflict };
  const next = { ...bindings, [action]: code };
  if (conflict) next[conflict] = bindings[action];
  return { ok: true, bindings: next };
}

/**
 * Normalises stored bindings: unknown actions dropped, missing ones defaulted, non-strings
 * unbound, later duplicates unbound.
 * @param {unknown} stored
 * @returns {HotkeyBindings}
 */
export function normaliseBindings(stored) {
  const source = stored && typeof stored === 'object' ? /** @type {Record<string, unknown>} */ (stored) : {};
  /** @type {HotkeyBindings} */
  const result = { ...DEFAULT_HOTKEYS };
  const used = new Set();
  for (const action of HOTKEY_ACTIONS) {
    const value = action in source ? source[action] : DEFAULT_HOTKEYS[action];
    const code = typeof value === 'string' && value && !RESERVED.has(value) ? value : null;
    result[action] = code && !used.has(code) ? code : null;
    if (code) used.add(code);
  }
  return result;
}

/**
 * Push-to-talk hold state. Auto-repeat is ignored; releasing the key, losing window focus or
 * hiding the page all end the hold, so the mic cannot stay stuck open.
 * @param {(held: boolean) => void} onChange
 */
export function createPushToTalk(onChange) {
  let held = false;
  /** @param {boolean} next */
  const set = (next) => {
    if (held === next) return;
    held = next;
    onChange(held);
  };
  return {
    /**
     * @param {KeyEventLike} event
     * @param {string | null} code  the bound key
     * @returns {boolean} whether the event was push-to-talk's (caller then calls preventDefault)
     */
    keydown(event, code) {
      if (!code || event.code !== code) return false;
      if (event.repeat || held) return true;
      if (hasShortcutModifier(event) || isTypingTarget(event.target) || event.isComposing) return false;
      set(true);
      return true;
    },
    /**
     * @param {KeyEventLike} event
     * @param {string | null} code
     */
    keyup(event, code) {
      if (!code || event.code !== code || !held) return false;
      set(false);
      return true;
    },
    release() {
      set(false);
    },
    get held() {
      return held;
    },
  };
}
