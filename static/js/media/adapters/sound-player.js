// Plays sound-pack notes (sounds.js) on a Web Audio context.
//
// The context is passed in, so sounds go wherever the caller routes them (the chosen speaker,
// W-B15) and tests can hand in a recording fake. Node graph per play:
//   oscillator → [band-pass] → note envelope gain → play gain (notification volume) → destination

import { notesFor } from '../rules/sound-packs.js';

/** @typedef {import('../rules/sound-packs.js').Note} Note */
/** @typedef {import('../rules/sound-packs.js').SoundEvent} SoundEvent */
/** @typedef {import('../rules/sound-packs.js').SoundPackKey} SoundPackKey */

/** The level an exponential decay ends at (it cannot reach zero). */
export const SILENCE = 0.001;

/**
 * The minimal AudioContext surface the synth uses.
 * @typedef {object} SynthContext
 * @property {number} currentTime
 * @property {AudioNode} destination
 * @property {() => OscillatorNode} createOscillator
 * @property {() => GainNode} createGain
 * @property {() => BiquadFilterNode} createBiquadFilter
 */

/**
 * Schedules `notes` to play. Returns when (context time) the last note ends, or null if nothing
 * was scheduled (no notes, or volume 0).
 * @param {SynthContext} ctx
 * @param {readonly Note[]} notes
 * @param {{ destination?: AudioNode, volume?: number, when?: number }} [options]
 * @returns {number | null}
 */
export function playNotes(ctx, notes, { destination = ctx.destination, volume = 1, when } = {}) {
  const level = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1));
  if (!notes.length || level === 0) return null;
  const start = when ?? ctx.currentTime;
  const out = ctx.createGain();
  out.gain.value = level;
  out.connect(destination);
  let last = start;
  let playing = notes.length;
  const noteEnded = () => {
    playing -= 1;
    if (playing === 0) out.disconnect();
  };
  for (const note of notes) last = Math.max(last, scheduleNote(ctx, note, start + note.at, out, noteEnded));
  return last;
}

/**
 * Plays one event of one pack.
 * @param {SynthContext} ctx
 * @param {SoundPackKey} pack
 * @param {SoundEvent} event
 * @param {{ destination?: AudioNode, volume?: number, when?: number }} [options]
 */
export function playSound(ctx, pack, event, options) {
  return playNotes(ctx, notesFor(pack, event), options);
}

/**
 * @param {SynthContext} ctx
 * @param {Note} note
 * @param {number} t0
 * @param {AudioNode} out
 * @param {() => void} ended
 * @returns {number} when the note ends
 */
function scheduleNote(ctx, note, t0, out, ended) {
  const osc = ctx.createOscillator();
  osc.type = note.wave;
  osc.frequency.setValueAtTime(note.freq, t0);
  if (note.to !== undefined && note.glide) osc.frequency.exponentialRampToValueAtTime(note.to, t0 + note.glide);
  if (note.step) osc.frequency.setValueAtTime(note.step.freq, t0 + note.step.at);

  const env = ctx.createGain();
  env.gain.setValueAtTime(0, t0);
  env.gain.linearRampToValueAtTime(note.peak, t0 + note.attack);
  const decayFrom = Math.max(note.attack, note.hold ?? note.attack);
  if (decayFrom > note.attack) env.gain.setValueAtTime(note.peak, t0 + decayFrom);
  env.gain.exponentialRampToValueAtTime(SILENCE, t0 + note.end);

  /** @type {AudioNode} */
  let head = osc;
  /** @type {AudioNode[]} */
  const chain = [osc, env];
  if (note.bandpass) {
    const filter = ctx.createBiquadFilter();
    filter.type = 'bandpass';
    filter.Q.value = note.bandpass.q;
    filter.frequency.setValueAtTime(note.bandpass.freq, t0);
    if (note.bandpass.to !== undefined) {
      filter.frequency.exponentialRampToValueAtTime(note.bandpass.to, t0 + (note.glide ?? note.end));
    }
    head.connect(filter);
    head = filter;
    chain.push(filter);
  }
  head.connect(env);
  env.connect(out);

  const stopAt = t0 + note.end + 0.02;
  osc.start(t0);
  osc.stop(stopAt);
  // Finished notes leave the graph, so a long session does not accumulate dead nodes.
  osc.onended = () => {
    for (const node of chain) node.disconnect();
    ended();
  };
  return stopAt;
}

/**
 * 1.x's speaker test: three 440 Hz beeps at 0, 0.25 and 0.5 s, each attacking to 0.3 and
 * decaying over 0.15 s; the tone ends at 0.7 s.
 * @param {SynthContext} ctx
 * @param {{ destination?: AudioNode, volume?: number }} [options]
 */
export function playSpeakerTest(ctx, options) {
  /** @type {Note[]} */
  const beeps = [0, 0.25, 0.5].map((at) => ({
    wave: 'sine',
    at,
    freq: 440,
    peak: 0.3,
    attack: 0.01,
    end: at === 0.5 ? 0.2 : 0.15,
  }));
  return playNotes(ctx, beeps, options);
}
