// What the floating control bar shows for a media snapshot: each button's pressed state, icon,
// tone, tooltip and description, the share menu and the volume rows. DOM-free, so the wording
// and the rules are tested without a page; ui/media/control-bar.js only applies it.
//
// Improves on 1.x (original-ui §3.6): tooltips name the hotkey, the mic explains why it is off
// (W-B13) and what push-to-talk needs, deafen says it takes the mic down (W-B15), and a button
// whose action is still running says so instead of accepting a second click.

import { keyLabel } from '../rules/hotkeys.js';
import { SCREEN_SHARE_PRESETS, presetFor } from '../rules/share-presets.js';
import { volumeToPercent } from '../rules/volume.js';

/** @typedef {'mic' | 'ptt' | 'camera' | 'deafen' | 'share'} BusyKey */

/**
 * @typedef {object} ButtonView
 * @property {boolean} pressed
 * @property {string} icon          a sprite name
 * @property {'danger' | 'success' | null} tone
 * @property {string} tooltip       may hold a second line after "\n"
 * @property {string} description   for aria-describedby; '' for none
 * @property {boolean} disabled     busy, or not usable right now
 * @property {boolean} live         push-to-talk is open (the glow)
 * @property {boolean} problem      the warning mark
 */

/**
 * @param {Partial<ButtonView>} parts
 * @returns {ButtonView}
 */
function button(parts) {
  const base = { pressed: false, icon: '', tone: null, tooltip: '', description: '', disabled: false };
  return { ...base, live: false, problem: false, ...parts };
}

/** " (M)" for a bound key, nothing for an unbound one. @param {string | null} code */
function hint(code) {
  return code ? ` (${keyLabel(code)})` : '';
}

/** Tooltip lines, empty ones dropped. @param {...string} parts */
function lines(...parts) {
  return parts.filter(Boolean).join('\n');
}

/** The bar exists only inside a connected call. @param {{ connection: { state: string } }} snapshot */
export function barVisible(snapshot) {
  return snapshot.connection.state === 'connected';
}

/**
 * @typedef {object} MicState
 * @property {'toggle' | 'ptt'} mode
 * @property {boolean} muted
 * @property {boolean} deafened
 * @property {boolean} live
 * @property {boolean} showsMuted
 * @property {string | null} problem
 */

/**
 * @param {MicState} mic
 * @param {import('../rules/hotkeys.js').HotkeyBindings} keys
 * @param {boolean} busy
 */
export function micButton(mic, keys, busy) {
  // Unmuting while deafened also undeafens (controls.js): the tooltip says so before the click.
  const action = mic.showsMuted ? (mic.deafened ? 'Unmute and undeafen' : 'Unmute') : 'Mute';
  const ptt = mic.mode === 'ptt';
  const talk = keys.pushToTalk ? `Hold ${keyLabel(keys.pushToTalk)} to talk` : 'Push to talk has no key: set one in Settings';
  let first = `${action}${hint(keys.toggleMute)}`;
  let note = '';
  if (ptt && !mic.showsMuted) {
    first = talk;
    note = `Click to mute${hint(keys.toggleMute)}`;
  } else if (ptt) {
    note = `Push to talk: ${mic.deafened ? 'undeafen' : 'unmute'}, then ${talk.charAt(0).toLowerCase()}${talk.slice(1)}`;
  }
  return button({
    pressed: mic.showsMuted,
    icon: mic.showsMuted ? 'mic-off' : 'mic',
    tone: mic.showsMuted ? 'danger' : null,
    tooltip: lines(first, note, mic.problem ?? ''),
    description: mic.problem ?? (ptt ? talk : ''),
    disabled: busy,
    live: ptt && mic.live,
    problem: Boolean(mic.problem),
  });
}

/**
 * The push-to-talk mode switch beside the mic. Turning it on without a bound key would leave no
 * way to talk, so that is refused until Settings has a key; turning it off always works.
 * @param {MicState} mic
 * @param {import('../rules/hotkeys.js').HotkeyBindings} keys
 * @param {boolean} busy
 */
export function pushToTalkButton(mic, keys, busy) {
  const on = mic.mode === 'ptt';
  const key = keys.pushToTalk ? keyLabel(keys.pushToTalk) : null;
  const tooltip = on
    ? lines(key ? `Push to talk is on: hold ${key} to talk` : 'Push to talk is on, but has no key', 'Click for an open mic')
    : lines('Push to talk is off', key ? `Click to talk only while holding ${key}` : 'Set a push-to-talk key in Settings first');
  return {
    ...button({ pressed: on, icon: 'keyboard', tooltip, disabled: busy || (!on && !key) }),
    /** The key cap shown on the switch. */
    caption: key ?? 'PTT',
  };
}

/**
 * @param {{ on: boolean }} camera
 * @param {boolean} busy
 */
export function cameraButton(camera, busy) {
  const settling = camera.on ? 'Stopping the camera…' : 'Starting the camera…';
  return button({
    pressed: camera.on,
    icon: camera.on ? 'camera' : 'camera-off',
    tone: camera.on ? 'success' : null,
    tooltip: busy ? settling : camera.on ? 'Turn off camera' : 'Turn on camera',
    disabled: busy,
  });
}

/**
 * @param {MicState} mic
 * @param {import('../rules/hotkeys.js').HotkeyBindings} keys
 * @param {boolean} busy
 */
export function deafenButton(mic, keys, busy) {
  return button({
    pressed: mic.deafened,
    icon: mic.deafened ? 'headphones-off' : 'headphones',
    tone: mic.deafened ? 'danger' : null,
    tooltip: mic.deafened
      ? `Undeafen${hint(keys.toggleDeafen)}`
      : lines(`Deafen${hint(keys.toggleDeafen)}`, 'Also mutes your microphone'),
    disabled: busy,
  });
}

/**
 * @typedef {object} ShareState
 * @property {boolean} active
 * @property {import('../rules/share-presets.js').PresetKey} preset
 * @property {boolean} audio
 */

/**
 * @param {ShareState} share
 * @param {boolean} busy
 */
export function shareButton(share, busy) {
  const label = presetFor(share.preset).label;
  const settling = share.active ? 'Stopping the screen share…' : 'Choose what to share…';
  return {
    ...button({
      pressed: share.active,
      icon: 'screen',
      tone: share.active ? 'success' : null,
      tooltip: busy ? settling : share.active ? `Stop sharing (${label})` : 'Share your screen',
      description: share.active ? `Sharing at ${label}` : '',
      disabled: busy,
    }),
    /** Not sharing: a menu of presets; sharing: the stop confirmation. */
    popup: share.active ? /** @type {const} */ ('dialog') : /** @type {const} */ ('menu'),
  };
}

/**
 * The quality menu: every preset with the remembered one checked, and the audio choice.
 * @param {ShareState} share
 * @param {boolean | null} audioChoice   a tick made in the open menu, before any share started
 */
export function shareMenu(share, audioChoice) {
  const current = presetFor(share.preset).key;
  return {
    presets: SCREEN_SHARE_PRESETS.map((p) => ({ key: p.key, label: p.label, checked: p.key === current })),
    audio: audioChoice ?? share.audio,
  };
}

/**
 * @typedef {object} VolumeRow
 * @property {string} identity
 * @property {string} name
 * @property {number} percent       0..200
 * @property {boolean} localMuted
 * @property {string} sliderLabel
 * @property {string} muteLabel
 * @property {string} muteTooltip
 */

/**
 * One row per other participant, in call order.
 * @param {Array<{ identity: string, name: string, isLocal: boolean, volume: number, localMuted: boolean }>} participants
 * @returns {VolumeRow[]}
 */
export function volumeRows(participants) {
  return participants
    .filter((p) => !p.isLocal)
    .map((p) => ({
      identity: p.identity,
      name: p.name,
      percent: volumeToPercent(p.volume),
      localMuted: p.localMuted,
      sliderLabel: `Volume for ${p.name}`,
      muteLabel: `Mute ${p.name} for me`,
      muteTooltip: p.localMuted ? 'Unmute (local)' : 'Mute (local)',
    }));
}

/**
 * Everything the bar shows, from one snapshot.
 * @param {import('./media-snapshot.js').MediaSnapshot} snapshot
 * @param {{ hotkeys: import('../rules/hotkeys.js').HotkeyBindings, busy: ReadonlySet<BusyKey> }} context
 */
export function controlBarModel(snapshot, { hotkeys, busy }) {
  const mic = /** @type {MicState} */ (snapshot.mic);
  return {
    visible: barVisible(snapshot),
    mic: micButton(mic, hotkeys, busy.has('mic')),
    ptt: pushToTalkButton(mic, hotkeys, busy.has('ptt')),
    camera: cameraButton(snapshot.camera, busy.has('camera')),
    deafen: deafenButton(mic, hotkeys, busy.has('deafen')),
    share: shareButton(snapshot.screenShare, busy.has('share')),
  };
}
