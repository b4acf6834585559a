// The notification sound packs as data (original-ui §11 table), plus two events added here:
// "a vote started in your room" and 2.x's "chatMessage" (someone else wrote in your room). Every sound is synthesized (see synth.js); there are no files.
//
// A sound is a list of notes. Each note is one oscillator with a linear attack to its peak, an
// optional hold, then an exponential decay reaching 0.001 at `end`; pitch may glide or step, and
// the Digital Whispers pack runs each note through a band-pass filter.

/** @typedef {'connect' | 'join' | 'leave' | 'mute' | 'unmute' | 'cameraOn' | 'cameraOff' | 'voteStarted' | 'chatMessage'} SoundEvent */
/** @typedef {'mystical' | 'pops' | 'retro' | 'whispers' | 'none'} SoundPackKey */

/**
 * @typedef {object} Note
 * @property {OscillatorType} wave
 * @property {number} at        start, seconds after the sound starts
 * @property {number} freq      Hz at the start
 * @property {number} [to]      Hz at the end of an exponential glide
 * @property {number} [glide]   glide duration, seconds
 * @property {{ at: number, freq: number }} [step]  an instant pitch change, seconds after `at`
 * @property {number} peak      gain at the top of the attack
 * @property {number} attack    seconds
 * @property {number} [hold]    seconds after `at` when the decay starts (default: end of attack)
 * @property {number} end       seconds after `at` when the note has decayed to 0.001
 * @property {{ freq: number, to?: number, q: number }} [bandpass]
 */

/** The nine events, in the order the settings panel previews them. */
export const SOUND_EVENTS = /** @type {readonly SoundEvent[]} */ (
  Object.freeze(['connect', 'join', 'leave', 'mute', 'unmute', 'cameraOn', 'cameraOff', 'voteStarted', 'chatMessage'])
);

export const SOUND_EVENT_LABELS = Object.freeze({
  connect: 'Connected',
  join: 'Join',
  leave: 'Leave',
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOn: 'Cam On',
  cameraOff: 'Cam Off',
  voteStarted: 'Vote',
  chatMessage: 'Chat',
});

export const SOUND_PACK_LABELS = Object.freeze({
  mystical: 'Mystical Chimes',
  pops: 'Mischievous Pops',
  retro: 'Retro Arcade',
  whispers: 'Digital Whispers',
  none: 'None',
});

/** @type {SoundPackKey} */
export const DEFAULT_SOUND_PACK = 'mystical';

/**
 * A known pack key for a stored value; 1.x's retired "tribal" pack became "retro".
 * @param {unknown} value
 * @returns {SoundPackKey | undefined}
 */
export function soundPackKey(value) {
  if (value === 'tribal') return 'retro';
  return typeof value === 'string' && Object.hasOwn(SOUND_PACK_LABELS, value)
    ? /** @type {SoundPackKey} */ (value)
    : undefined;
}

/**
 * @param {number} at
 * @param {number} freq
 * @param {number} peak
 * @param {number} end
 * @param {Partial<Note>} [extra]
 * @returns {Note}
 */
const sine = (at, freq, peak, end, extra = {}) => ({ wave: 'sine', at, freq, peak, attack: 0.01, end, ...extra });

/**
 * A sine chirp rising or falling by `ratio` over `glide`.
 * @param {number} at
 * @param {number} freq
 * @param {number} ratio
 * @param {number} glide
 * @param {number} peak
 * @param {number} end
 * @returns {Note}
 */
const chirp = (at, freq, ratio, glide, peak, end) => ({
  wave: 'sine',
  at,
  freq,
  to: freq * ratio,
  glide,
  peak,
  attack: 0.005,
  end,
});

/**
 * A square-wave note that holds, optionally steps pitch, then decays.
 * @param {number} at
 * @param {number} freq
 * @param {number} peak
 * @param {number} hold
 * @param {number} end
 * @param {Partial<Note>} [extra]
 * @returns {Note}
 */
const square = (at, freq, peak, hold, end, extra = {}) => ({
  wave: 'square',
  at,
  freq,
  peak,
  attack: 0.005,
  hold,
  end,
  ...extra,
});

/**
 * A band-passed sawtooth sweep.
 * @param {number} at
 * @param {number} freq
 * @param {number} to
 * @param {number} glide
 * @param {{ freq: number, to?: number, q: number }} bandpass
 * @param {number} peak
 * @param {number} end
 * @param {Partial<Note>} [extra]
 * @returns {Note}
 */
const whoosh = (at, freq, to, glide, bandpass, peak, end, extra = {}) => ({
  wave: 'sawtooth',
  at,
  freq,
  to,
  glide,
  bandpass,
  peak,
  attack: 0.01,
  end,
  ...extra,
});

/** @type {Readonly<Record<Exclude<SoundPackKey, 'none'>, Readonly<Record<SoundEvent, readonly Note[]>>>>} */
export const SOUND_PACKS = deepFreeze({
  mystical: {
    connect: [sine(0, 523, 0.25, 0.5), sine(0.15, 784, 0.25, 0.5)],
    join: [sine(0, 659, 0.2, 0.4)],
    leave: [sine(0, 659, 0.15, 0.35), sine(0.12, 523, 0.15, 0.35)],
    mute: [sine(0, 600, 0.15, 0.2, { to: 350, glide: 0.15 })],
    unmute: [sine(0, 400, 0.15, 0.2, { to: 700, glide: 0.12 })],
    cameraOn: [sine(0, 587, 0.12, 0.2), sine(0.08, 880, 0.12, 0.2)],
    cameraOff: [sine(0, 880, 0.1, 0.18), sine(0.08, 587, 0.1, 0.18)],
    // A rising three-chime call to attention, louder than join but below connect.
    voteStarted: [sine(0, 659, 0.2, 0.4), sine(0.14, 784, 0.2, 0.4), sine(0.28, 988, 0.2, 0.5)],
    // A soft high double chime: noticed, quieter than a join.
    chatMessage: [sine(0, 1047, 0.1, 0.2), sine(0.07, 1319, 0.1, 0.25)],
  },
  pops: {
    connect: [
      chirp(0, 400, 1.5, 0.06, 0.22, 0.12),
      chirp(0.08, 600, 1.5, 0.06, 0.22, 0.12),
      chirp(0.16, 900, 1.5, 0.06, 0.22, 0.12),
    ],
    join: [chirp(0, 500, 2.4, 0.08, 0.18, 0.15)],
    leave: [chirp(0, 800, 0.375, 0.12, 0.15, 0.18)],
    mute: [sine(0, 500, 0.15, 0.04, { attack: 0.005 }), sine(0.07, 500, 0.15, 0.04, { attack: 0.005 })],
    unmute: [chirp(0, 400, 2.5, 0.08, 0.15, 0.12)],
    cameraOn: [chirp(0, 500, 1.4, 0.06, 0.12, 0.1), chirp(0.06, 800, 1.4, 0.06, 0.12, 0.1)],
    cameraOff: [chirp(0, 900, 0.6, 0.06, 0.1, 0.1), chirp(0.06, 600, 0.6, 0.06, 0.1, 0.1)],
    voteStarted: [
      chirp(0, 700, 1.3, 0.05, 0.18, 0.1),
      chirp(0.09, 700, 1.3, 0.05, 0.18, 0.1),
      chirp(0.18, 900, 1.3, 0.05, 0.18, 0.12),
    ],
    chatMessage: [chirp(0, 900, 1.3, 0.04, 0.12, 0.08)],
  },
  retro: {
    connect: [262, 330, 392, 523].map((freq, i) => square(i * 0.08, freq, 0.1, 0.06, 0.12)),
    join: [square(0, 988, 0.09, 0.12, 0.18, { step: { at: 0.06, freq: 1319 } })],
    leave: [square(0, 880, 0.07, 0.15, 0.2, { to: 220, glide: 0.15 })],
    mute: [square(0, 660, 0.07, 0.09, 0.14, { step: { at: 0.07, freq: 440 } })],
    unmute: [square(0, 440, 0.07, 0.09, 0.14, { step: { at: 0.07, freq: 660 } })],
    cameraOn: [square(0, 523, 0.06, 0.12, 0.18, { step: { at: 0.07, freq: 784 } })],
    cameraOff: [square(0, 784, 0.05, 0.12, 0.18, { step: { at: 0.07, freq: 523 } })],
    // A two-beat alarm.
    voteStarted: [
      square(0, 660, 0.08, 0.08, 0.12, { step: { at: 0.06, freq: 880 } }),
      square(0.16, 660, 0.08, 0.08, 0.12, { step: { at: 0.06, freq: 880 } }),
    ],
    chatMessage: [square(0, 1319, 0.05, 0.04, 0.08, { step: { at: 0.04, freq: 1568 } })],
  },
  whispers: {
    connect: [whoosh(0, 200, 800, 0.3, { freq: 400, to: 1200, q: 2 }, 0.22, 0.4, { attack: 0.1 })],
    join: [whoosh(0, 400, 900, 0.1, { freq: 800, q: 3 }, 0.18, 0.2)],
    leave: [whoosh(0, 700, 250, 0.15, { freq: 500, q: 3 }, 0.15, 0.2)],
    mute: [
      { wave: 'sawtooth', at: 0, freq: 1100, bandpass: { freq: 1100, q: 8 }, peak: 0.15, attack: 0.005, end: 0.04 },
      { wave: 'sawtooth', at: 0.07, freq: 1100, bandpass: { freq: 1100, q: 8 }, peak: 0.15, attack: 0.005, end: 0.04 },
    ],
    unmute: [whoosh(0, 300, 800, 0.12, { freq: 600, q: 3 }, 0.15, 0.15)],
    cameraOn: [
      whoosh(0, 350, 700, 0.1, { freq: 600, q: 3 }, 0.12, 0.13),
      whoosh(0.08, 550, 900, 0.1, { freq: 800, q: 3 }, 0.12, 0.13),
    ],
    cameraOff: [
      whoosh(0, 800, 350, 0.1, { freq: 500, q: 3 }, 0.1, 0.13),
      whoosh(0.08, 600, 250, 0.1, { freq: 500, q: 3 }, 0.1, 0.13),
    ],
    voteStarted: [
      whoosh(0, 300, 1000, 0.15, { freq: 700, q: 3 }, 0.15, 0.2),
      whoosh(0.15, 300, 1000, 0.15, { freq: 700, q: 3 }, 0.15, 0.2),
    ],
    chatMessage: [whoosh(0, 900, 1400, 0.06, { freq: 1200, q: 4 }, 0.1, 0.1)],
  },
});

/**
 * The notes of one event in one pack (empty for "none").
 * @param {SoundPackKey} pack
 * @param {SoundEvent} event
 * @returns {readonly Note[]}
 */
export function notesFor(pack, event) {
  if (pack === 'none') return [];
  return SOUND_PACKS[pack]?.[event] ?? [];
}

/**
 * How long a sound lasts, in seconds.
 * @param {readonly Note[]} notes
 */
export function soundDuration(notes) {
  return notes.reduce((longest, note) => Math.max(longest, note.at + note.end), 0);
}

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
