// The soundboard's sound in the call: clips play into one gain that feeds both my speakers (so
// I hear what I play) and a MediaStream published once per room as a LiveKit audio track named
// `soundboard` with source ScreenShareAudio (2.x's choice), so receivers set its volume apart
// from my voice. It is ordinary media: encrypted whenever the room is. One clip at a time.
//
//   AudioBufferSource ─▶ gain (my soundboard volume) ─┬─▶ MediaStreamDestination ─▶ `soundboard` track
//                                                     └─▶ the playback graph's output (self-monitor)

export const SOUNDBOARD_TRACK = 'soundboard';

/**
 * @param {object} deps
 * @param {any} deps.sdk                       livekit-client (Track.Source)
 * @param {import('./audio-graph.js').AudioGraph} deps.graph
 * @param {() => void} deps.onChange
 */
export function createSoundboardTrack({ sdk, graph, onChange }) {
  const ctx = graph.context;
  /** @type {any} */
  let room = null;
  /** @type {{ gain: GainNode, destination: MediaStreamAudioDestinationNode, published: Promise<unknown> | null } | null} */
  let chain = null;
  /** @type {{ source: AudioBufferSourceNode, name: string } | null} */
  let playing = null;

  /** Plays into `next` until the returned function is called (the room changed). @param {any} next */
  function bind(next) {
    room = next;
    return () => {
      stop();
      // The SDK stops a track it unpublishes; the next room gets a fresh one.
      chain?.gain.disconnect();
      chain = null;
      room = null;
    };
  }

  function build() {
    const gain = ctx.createGain();
    const destination = ctx.createMediaStreamDestination();
    gain.connect(destination);
    gain.connect(graph.output);
    return { gain, destination, published: null };
  }

  async function publish() {
    if (!room) throw new Error('Join a room to play clips');
    chain ??= build();
    chain.published ??= room.localParticipant.publishTrack(chain.destination.stream.getAudioTracks()[0], {
      name: SOUNDBOARD_TRACK,
      source: sdk.Track.Source.ScreenShareAudio,
      // A clip is music as often as speech: no discontinuous transmission cutting its tails.
      dtx: false,
    });
    try {
      await chain.published;
    } catch (error) {
      if (chain) chain.published = null;
      throw error;
    }
    return chain;
  }

  /**
   * Plays a decoded clip to the room (stopping mine that still plays); resolves once it is
   * heard, with a promise of its end.
   * @param {AudioBuffer} buffer @param {string} name @param {number} volume 0..1
   */
  async function play(buffer, name, volume) {
    stop();
    await graph.resume();
    const { gain } = await publish();
    gain.gain.value = volume;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(gain);
    const current = { source, name };
    playing = current;
    const ended = new Promise((resolve) => {
      source.onended = () => {
        if (playing === current) playing = null;
        source.disconnect();
        onChange();
        resolve(undefined);
      };
    });
    source.start();
    onChange();
    return { ended };
  }

  function stop() {
    try {
      playing?.source.stop();
    } catch {
      // Already ended.
    }
  }

  /** @param {number} volume 0..1 */
  function setVolume(volume) {
    chain?.gain.gain.setTargetAtTime(volume, ctx.currentTime, 0.015);
  }

  return {
    bind,
    play,
    stop,
    setVolume,
    /** The name of my clip playing now, if any. */
    playing: () => playing?.name ?? null,
    /** Decodes clip bytes in the call's context. @param {ArrayBuffer} bytes */
    decode: (bytes) => ctx.decodeAudioData(bytes),
  };
}

/** @typedef {ReturnType<typeof createSoundboardTrack>} SoundboardTrack */
