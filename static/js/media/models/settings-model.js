// What the "Audio & Video Settings" panel shows, as data: picker options with the device really
// in use selected (W-B2: 1.x's picker showed the first device, not the active one), the mic's
// publish status, hotkey rows and rebind messages, and where the desktop popover sits.

import { deviceLabel } from '../rules/device-choice.js';
import { HOTKEY_ACTIONS, HOTKEY_LABELS, keyLabel } from '../rules/hotkeys.js';
import { receivingAudio } from '../rules/level-meter.js';
import { SOUND_PACK_LABELS } from '../rules/sound-packs.js';

/** @typedef {{ value: string, label: string }} Choice */

/**
 * Options for a device picker and the one to show selected: the active device; when nothing is
 * active yet (no call, or the system default), Chrome's "default" alias, else the first entry.
 * @param {ReadonlyArray<import('../rules/device-choice.js').DeviceLike>} devices
 * @param {string | null | undefined} active
 * @returns {{ options: Choice[], value: string }}
 */
export function deviceChoices(devices, active) {
  const options = devices.map((device) => ({ value: device.deviceId, label: deviceLabel(device) }));
  const has = (/** @type {string | null | undefined} */ id) => id != null && options.some((o) => o.value === id);
  let value = options[0]?.value ?? '';
  if (has(active)) value = /** @type {string} */ (active);
  else if (has('default')) value = 'default';
  return { options, value };
}

/** @typedef {'live' | 'muted' | 'problem' | 'idle'} MicTone */

/**
 * The line under the meter saying whether people can hear me, and what to do if not.
 * @param {object} state
 * @param {boolean} state.connected
 * @param {{ live: boolean, muted: boolean, deafened: boolean, mode: string, problem: string | null }} state.mic
 * @param {string | null} state.pushToTalkKey  the bound KeyboardEvent.code
 * @returns {{ tone: MicTone, text: string }}
 */
export function micStatus({ connected, mic, pushToTalkKey }) {
  if (mic.problem) return { tone: 'problem', text: mic.problem };
  if (!connected) return { tone: 'idle', text: 'Not in a call' };
  if (mic.live) return { tone: 'live', text: 'Mic is live' };
  if (mic.deafened) return { tone: 'muted', text: 'Deafened — press Undeafen' };
  if (mic.muted) return { tone: 'muted', text: 'Muted — press Unmute' };
  if (mic.mode === 'ptt') {
    const key = pushToTalkKey ? `hold ${keyLabel(pushToTalkKey)} to talk` : 'set a key below to talk';
    return { tone: 'muted', text: `Push to talk — ${key}` };
  }
  return { tone: 'muted', text: 'Muted — press Unmute' };
}

/**
 * One row per hotkey action, in the hotkeys module's order.
 * @param {import('../rules/hotkeys.js').HotkeyBindings} bindings
 */
export function hotkeyRows(bindings) {
  return HOTKEY_ACTIONS.map((action) => ({
    action,
    label: HOTKEY_LABELS[action],
    code: bindings[action],
    keyText: keyLabel(bindings[action]),
  }));
}

/**
 * A key cap's face, its accessible name (which starts with the action, so it can be found by
 * it), and whether the row offers to clear the key.
 * @param {ReturnType<typeof hotkeyRows>[number]} row
 * @param {boolean} waiting  the cap is listening for a new key
 */
export function keyCapView({ label, code, keyText }, waiting) {
  return waiting
    ? { text: 'Press a key…', name: `${label} key: press a key, or Escape to cancel`, clearable: false }
    : { text: keyText, name: `${label} key: ${keyText}. Change`, clearable: code !== null };
}

/**
 * What to say after a rebind attempt. A conflict names the other action, so the panel can
 * offer to swap the two keys.
 * @param {import('../rules/hotkeys.js').HotkeyAction} action
 * @param {string | null} code
 * @param {ReturnType<typeof import('../rules/hotkeys.js').rebind>} result
 * @returns {{ text: string, conflict: import('../rules/hotkeys.js').HotkeyAction | null }}
 */
export function rebindMessage(action, code, result) {
  const name = HOTKEY_LABELS[action];
  if (result.ok) {
    const text = code === null ? `${name} has no key now.` : `${name} is now ${keyLabel(code)}.`;
    return { text, conflict: null };
  }
  if ('conflict' in result) {
    const other = HOTKEY_LABELS[result.conflict];
    return { text: `${keyLabel(code)} is already ${other}'s key.`, conflict: result.conflict };
  }
  return { text: `${keyLabel(result.reserved)} cannot be a shortcut.`, conflict: null };
}

/**
 * "Receiving audio" held for a moment after the last sound: speech and Chromium's fake beeps
 * come in bursts, and a label flashing with each syllable cannot be read.
 * @param {number} holdMs
 * @returns {(level: number, now: number) => boolean}
 */
export function receivingHold(holdMs) {
  let heardAt = -Infinity;
  return (level, now) => {
    if (receivingAudio(level)) heardAt = now;
    return now - heardAt < holdMs;
  };
}

/** The sound pack picker's options, "None" last as in 1.x. @returns {Choice[]} */
export function soundPackChoices() {
  return Object.entries(SOUND_PACK_LABELS).map(([value, label]) => ({ value, label }));
}

/**
 * A 0..max value as the whole percent a slider shows.
 * @param {number} value
 */
export function toPercent(value) {
  return Math.round((Number.isFinite(value) ? value : 0) * 100);
}

/**
 * Where the desktop popover goes: above its opener, right edges aligned, kept inside the window,
 * and no taller than the room above the opener.
 * @param {{ top: number, right: number }} anchor   the opener's bounding rect
 * @param {{ width: number, height: number }} viewport
 * @param {number} width   the panel's width
 * @param {{ gap?: number, margin?: number }} [spacing]
 * @returns {{ left: number, bottom: number, maxHeight: number }}
 */
export function popoverPlacement(anchor, viewport, width, { gap = 8, margin = 8 } = {}) {
  const widest = Math.max(margin, viewport.width - width - margin);
  const left = Math.min(widest, Math.max(margin, anchor.right - width));
  const bottom = Math.max(margin, viewport.height - anchor.top + gap);
  const maxHeight = Math.max(160, viewport.height - bottom - margin);
  return { left: Math.round(left), bottom: Math.round(bottom), maxHeight: Math.round(maxHeight) };
}
