// Soundbites: the last SOUNDBITE_SECONDS of every remote microphone this page may record, each
// in its own AudioWorklet ring (static/worklets/soundbite-recorder.js), saved as a WAV on demand.
//
// It taps the decrypted track the page already receives, so it works under E2EE and nothing is
// uploaded. Whom it records is decided by rules/soundbites.js: someone who opted out (in their
// LiveKit metadata, or as the server says) has no recorder at all, and loses theirs the moment
// they opt out.

import { SOUNDBITE_SECONDS, encodeWav, mayRecord, soundbiteFileName } from '../rules/soundbites.js';

/**
 * @typedef {object} SoundbiteDeps
 * @property {any} RoomEvent
 * @property {string} me
 * @property {() => AudioContext} createContext  the recorders' own context (48 kHz), made when first needed
 * @property {string | null} workletUrl         null where AudioWorklet is missing
 * @property {(tracks: MediaStreamTrack[]) => MediaStream} createStream
 * @property {() => void} onChange
 * @property {() => number} [now]
 */

/**
 * @typedef {object} Recorder
 * @property {string} trackSid
 * @property {AudioNode} source
 * @property {AudioWorkletNode} node
 * @property {Map<number, (data: any) => void>} waiting
 */

/** Some browsers (headless Chromium on some machines) never settle addModule: give up then. */
const MODULE_DEADLINE_MS = 10_000;

/**
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
export function withDeadline(promise, ms = MODULE_DEADLINE_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The audio worklet did not load')), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** @param {SoundbiteDeps} deps */
export function createSoundbites(deps) {
  const { RoomEvent, me } = deps;
  /** @type {Map<string, Recorder>} */
  const recorders = new Map();
  /** @type {Set<string>} usernames the server says opted out */
  let optedOut = new Set();
  /** @type {any} */
  let room = null;
  /** @type {Promise<void> | null} */
  let loaded = null;
  // Not the playback graph's context: a module load that never settles (some headless
  // Chromiums) would hold that context's resume, and with it everything the page plays.
  /** @type {AudioContext | null} */
  let ownContext = null;
  let serial = 0;

  const supported = Boolean(deps.workletUrl);

  /** Starts and stops recorders to match who is in the room and who may be recorded. */
  function sync() {
    /** @type {Map<string, any>} identity → subscribed mic track */
    const wanted = new Map();
    for (const participant of room ? room.remoteParticipants.values() : []) {
      const track = participant.getTrackPublication('microphone')?.track;
      if (track?.mediaStreamTrack && mayRecord(participant, { me, optedOut })) wanted.set(participant.identity, track);
    }
    for (const [identity, recorder] of recorders) {
      if (wanted.get(identity)?.sid !== recorder.trackSid) stop(identity);
    }
    for (const [identity, track] of wanted) {
      if (!recorders.has(identity)) void start(identity, track);
    }
    deps.onChange();
  }

  /** @param {string} identity @param {any} track */
  async function start(identity, track) {
    if (!supported) return;
    ownContext ??= deps.createContext();
    const context = ownContext;
    void context.resume().catch(() => {});
    loaded ??= withDeadline(context.audioWorklet.addModule(/** @type {string} */ (deps.workletUrl)));
    // A placeholder, so a second sync while the module loads does not start a second ring.
    recorders.set(identity, /** @type {any} */ ({ trackSid: track.sid, pending: true }));
    try {
      await loaded;
    } catch (error) {
      console.warn('soundbite recorder unavailable', error);
      recorders.delete(identity);
      return;
    }
    const placeholder = recorders.get(identity);
    if (!placeholder || placeholder.trackSid !== track.sid) return;
    const source = context.createMediaStreamSource(deps.createStream([track.mediaStreamTrack]));
    const node = new AudioWorkletNode(context, 'soundbite-recorder', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions: { seconds: SOUNDBITE_SECONDS },
    });
    /** @type {Recorder} */
    const recorder = { trackSid: track.sid, source, node, waiting: new Map() };
    node.port.onmessage = (event) => {
      const reply = recorder.waiting.get(event.data.id);
      recorder.waiting.delete(event.data.id);
      reply?.(event.data);
    };
    source.connect(node);
    recorders.set(identity, recorder);
    deps.onChange();
  }

  /** Drops the ring: its memory goes with the node. @param {string} identity */
  function stop(identity) {
    const recorder = recorders.get(identity);
    recorders.delete(identity);
    if (!recorder?.node) return;
    recorder.source.disconnect();
    recorder.node.port.close();
    for (const reply of recorder.waiting.values()) reply(null);
  }

  /** @param {Recorder} recorder @param {'snapshot' | 'stats'} type @returns {Promise<any>} */
  function ask(recorder, type) {
    const id = ++serial;
    return new Promise((resolve) => {
      recorder.waiting.set(id, resolve);
      recorder.node.port.postMessage({ type, id });
    });
  }

  /**
   * The WAV of one participant's last seconds, or null if nothing is recorded for them.
   * @param {string} identity
   * @returns {Promise<{ name: string, wav: ArrayBuffer, seconds: number } | null>}
   */
  async function save(identity) {
    const recorder = recorders.get(identity);
    if (!recorder?.node) return null;
    const data = await ask(recorder, 'snapshot');
    if (!data || !data.samples.length) return null;
    const participant = room?.remoteParticipants.get(identity);
    const shown = participant?.name || identity;
    return {
      name: soundbiteFileName(shown, (deps.now ?? Date.now)()),
      wav: encodeWav(data.samples, data.sampleRate),
      seconds: data.samples.length / data.sampleRate,
    };
  }

  return {
    supported,
    /** A user gesture: lets the recorders' context run if the browser held it back. */
    resume() {
      if (ownContext?.state === 'suspended') ownContext.resume().catch(() => {});
    },
    /** @param {any} next */
    bind(next) {
      room = next;
      const events = [
        RoomEvent.TrackSubscribed,
        RoomEvent.TrackUnsubscribed,
        RoomEvent.ParticipantDisconnected,
        RoomEvent.ParticipantMetadataChanged,
      ];
      for (const name of events) next.on(name, sync);
      sync();
      return () => {
        for (const name of events) next.off(name, sync);
        for (const identity of [...recorders.keys()]) stop(identity);
        room = null;
      };
    },
    /** Usernames the server says opted out; their rings go at once. @param {Iterable<string>} usernames */
    setOptedOut(usernames) {
      const next = new Set(usernames);
      if (next.size === optedOut.size && [...next].every((name) => optedOut.has(name))) return;
      optedOut = next;
      sync();
    },
    /** @param {{ identity: string, metadata?: string | null }} participant */
    allowed: (participant) => mayRecord(participant, { me, optedOut }),
    /** @param {string} identity */
    recording: (identity) => Boolean(recorders.get(identity)?.node),
    save,
    /** Everyone recorded, saved one file each (the hotkey). */
    async saveAll() {
      const saved = await Promise.all([...recorders.keys()].map((identity) => save(identity)));
      return saved.filter((bite) => bite !== null);
    },
    /** What the rings hold, for the memory figure. @returns {Promise<Array<{ identity: string, bytes: number, filled: number, sampleRate: number }>>} */
    async stats() {
      const live = [...recorders].filter(([, r]) => r.node);
      return Promise.all(live.map(async ([identity, r]) => ({ identity, ...(await ask(r, 'stats')) })));
    },
  };
}
