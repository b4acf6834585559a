// Microphone, deafen and push-to-talk as one state machine, so every path (button, hotkey,
// remote event) agrees on whether the mic should be live.
//
// Rules, as a Discord user expects them (fixing W-B15 where deafen left the mic open):
//  - everyone joins muted (1.x);
//  - deafen silences what I hear and takes the mic down; undeafen restores the mic as it was;
//  - unmuting while deafened also undeafens (you cannot talk into a call you cannot hear);
//  - in push-to-talk mode the mic is live only while the key is held, and never when muted or
//    deafened.

/** @typedef {'toggle' | 'ptt'} MicMode */

/**
 * @typedef {object} ControlState
 * @property {MicMode} mode
 * @property {boolean} muted      the mute toggle (in push-to-talk mode: a hard mute over the key)
 * @property {boolean} deafened
 * @property {boolean} pttHeld
 */

/**
 * The state at the start of every join.
 * @param {{ mode?: MicMode, deafened?: boolean }} [remembered]
 * @returns {ControlState}
 */
export function initialControls({ mode = 'toggle', deafened = false } = {}) {
  // Push-to-talk starts "unmuted" because the key is what opens the mic; toggle mode starts muted.
  return { mode, muted: mode === 'toggle', deafened, pttHeld: false };
}

/**
 * Whether the microphone track should be enabled (publishing sound).
 * @param {ControlState} state
 */
export function micLive(state) {
  if (state.deafened || state.muted) return false;
  return state.mode === 'toggle' || state.pttHeld;
}

/**
 * What the mute button shows: "muted" unless sound can go out on demand (or right now).
 * @param {ControlState} state
 */
export function showsMuted(state) {
  return state.deafened || state.muted;
}

/**
 * @typedef {{ type: 'toggleMute' } | { type: 'setMuted', muted: boolean } | { type: 'toggleDeafen' } |
 *   { type: 'setDeafened', deafened: boolean } | { type: 'pttDown' } | { type: 'pttUp' } |
 *   { type: 'setMode', mode: MicMode } | { type: 'micFailed' }} ControlAction
 */

/**
 * @param {ControlState} state
 * @param {ControlAction} action
 * @returns {ControlState}
 */
export function reduceControls(state, action) {
  switch (action.type) {
    case 'toggleMute':
      return reduceControls(state, { type: 'setMuted', muted: !showsMuted(state) });
    case 'setMuted':
      if (!action.muted && state.deafened) return { ...state, muted: false, deafened: false };
      return { ...state, muted: action.muted };
    case 'toggleDeafen':
      return { ...state, deafened: !state.deafened };
    case 'setDeafened':
      return { ...state, deafened: action.deafened };
    case 'pttDown':
      return state.mode === 'ptt' ? { ...state, pttHeld: true } : state;
    case 'pttUp':
      return { ...state, pttHeld: false };
    case 'setMode':
      return action.mode === state.mode
        ? state
        : { ...state, mode: action.mode, muted: action.mode === 'toggle', pttHeld: false };
    case 'micFailed':
      // The mic could not be opened (permission denied, device gone): show it as muted so the
      // button tells the truth, and leave deafen alone.
      return { ...state, muted: true, pttHeld: false };
    default:
      return state;
  }
}

/**
 * The notification sound a transition deserves ('mute' / 'unmute'), or null.
 * Push-to-talk presses are silent: a chirp on every key press would be unbearable.
 * @param {ControlState} before
 * @param {ControlState} after
 * @returns {'mute' | 'unmute' | null}
 */
export function soundForTransition(before, after) {
  const was = showsMuted(before);
  const now = showsMuted(after);
  if (was === now) return null;
  return now ? 'mute' : 'unmute';
}
