// Stands in for livekit-client in browser tests: served in place of the vendored SDK, so the
// real room page, media layer and views run in Chromium against a Room that "connects" at
// once. Everything on our side of the Room is real: local microphone and camera tracks come
// from Chromium's fake devices, remote tracks are real MediaStreamTracks (a tone, an animated
// canvas), and Web Audio plays them. `window.__sfu` lets a test do what the SFU would do.

import {
  FakeKeyProvider,
  FakeParticipant,
  FakePublication,
  FakeSdk,
  FakeTrack,
  RoomEvent,
  Track,
} from '/test-support/fake-livekit.js';
import { PEER_STATE_TOPIC, decodePeerState, encodePeerState } from '/static/js/media/rules/peer-state.js';

export { RoomEvent, Track };

/** @type {object[]} the stats reports of the (imaginary) transports */
let transportStats = [];

/** A FakeTrack carrying a real MediaStreamTrack, attachable to media elements. */
class RealTrack extends FakeTrack {
  /** @param {MediaStreamTrack} mst @param {string} source */
  constructor(mst, source) {
    super({ kind: mst.kind, source });
    this.mediaStreamTrack = mst;
  }
  attach(element) {
    if (!this.attachedElements.includes(element)) this.attachedElements.push(element);
    element.srcObject = new MediaStream([this.mediaStreamTrack]);
    element.play?.().catch(() => {});
    return element;
  }
  detach(element) {
    this.attachedElements = this.attachedElements.filter((e) => e !== element);
    if (element) element.srcObject = null;
    return element;
  }
  async restartTrack(options) {
    this.restarts.push(options);
    const constraints = { ...(options ?? {}) };
    this.mediaStreamTrack.stop();
    const stream = await navigator.mediaDevices.getUserMedia(
      this.kind === 'audio' ? { audio: constraints } : { video: constraints },
    );
    this.mediaStreamTrack = stream.getTracks()[0];
  }
  stop() {
    this.mediaStreamTrack.stop();
  }
  async getRTCStatsReport() {
    return new Map(transportStats.map((s, i) => [s.id ?? `S${i}`, s]));
  }
}

/** An animated canvas: the picture of a remote camera or screen. */
function canvasTrack(label) {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const ctx = canvas.getContext('2d');
  let frame = 0;
  setInterval(() => {
    frame += 1;
    ctx.fillStyle = `hsl(${(frame * 7) % 360} 60% 40%)`;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#fff';
    ctx.font = '32px sans-serif';
    ctx.fillText(`${label} ${frame}`, 20, 60);
  }, 50);
  return canvas.captureStream(20).getVideoTracks()[0];
}

let toneContext = null;
/** A quiet continuous tone: the sound of a remote microphone or shared tab. */
function toneTrack(frequency) {
  toneContext ??= new AudioContext();
  const osc = toneContext.createOscillator();
  osc.frequency.value = frequency;
  const gain = toneContext.createGain();
  gain.gain.value = 0.05;
  const out = toneContext.createMediaStreamDestination();
  osc.connect(gain).connect(out);
  osc.start();
  return out.stream.getAudioTracks()[0];
}

const plain = (value) => JSON.parse(JSON.stringify(value ?? null));

const sdk = new FakeSdk({ e2eeSupported: true, identity: '' });
const BaseRoom = sdk.Room;
const unreachable = () =>
  Object.assign(new Error('could not establish signal connection'), { name: 'ConnectionError', reason: 1 });
// Set by a test's init script: the SFU is down for the page's first connects.
for (let i = 0; i < (window.__sfuDownFor ?? 0); i += 1) sdk.nextConnect.push(unreachable());

export class Room extends BaseRoom {
  constructor(options) {
    super(options);
    const local = this.localParticipant;
    const room = this;
    // Local capture is real: Chromium's fake microphone and camera.
    local.createTracks = async (options) => {
      room.calls.push(['createTracks', plain(options)]);
      if (local.micError) throw local.micError;
      // As the SDK does: the room's capture defaults (chosen device, NS/EC/AGC) under the call's own.
      const own = typeof options?.audio === 'object' ? options.audio : {};
      const audio = { ...(room.options?.audioCaptureDefaults ?? {}), ...own };
      const stream = await navigator.mediaDevices.getUserMedia({ audio });
      return [new RealTrack(stream.getAudioTracks()[0], 'microphone')];
    };
    local.setCameraEnabled = async (enabled, options) => {
      room.calls.push(['setCameraEnabled', enabled, plain(options)]);
      let pub = local.getTrackPublication('camera');
      if (enabled && !pub) {
        const deviceId = room.activeDevices.videoinput;
        const stream = await navigator.mediaDevices.getUserMedia({ video: deviceId ? { deviceId } : true });
        pub = await local.publishTrack(new RealTrack(stream.getVideoTracks()[0], 'camera'));
      } else if (!enabled && pub) {
        pub.track.stop();
        local.trackPublications.delete(pub.trackSid);
        room.emit(RoomEvent.LocalTrackUnpublished, pub, local);
        return undefined;
      }
      return pub;
    };
    // The screen picker needs a person; a canvas stands in for the chosen screen.
    local.setScreenShareEnabled = async (enabled, capture, publish) => {
      room.calls.push(['setScreenShareEnabled', enabled, plain(capture), plain(publish)]);
      if (enabled) {
        if (sdk.screenShareError) throw sdk.screenShareError;
        const pub = await local.publishTrack(new RealTrack(canvasTrack('my screen'), 'screen_share'));
        if (capture?.audio) await local.publishTrack(new RealTrack(toneTrack(330), 'screen_share_audio'));
        return pub;
      }
      for (const [sid, pub] of local.trackPublications) {
        if (pub.source === 'screen_share' || pub.source === 'screen_share_audio') {
          local.trackPublications.delete(sid);
          room.emit(RoomEvent.LocalTrackUnpublished, pub, local);
        }
      }
      return undefined;
    };
  }

  async connect(url, token, opts) {
    // The identity and name come from the token, as the SFU would take them.
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    sdk.identity = claims.sub;
    await super.connect(url, token, opts);
    this.localParticipant.name = claims.name ?? claims.sub;
    this.emit(RoomEvent.ConnectionStateChanged, 'connected');
  }
}

export const ExternalE2EEKeyProvider = FakeKeyProvider;
export const isE2EESupported = () => sdk.isE2EESupported();
export const getBrowser = () => ({ name: 'Chrome', version: '120' });
export const setLogLevel = () => {};

const SOURCES = {
  microphone: () => toneTrack(440),
  screen_share_audio: () => toneTrack(550),
  camera: () => canvasTrack('camera'),
  screen_share: () => canvasTrack('screen'),
};

/** What the SFU would make happen, for tests. */
window.__sfu = {
  room: () => sdk.room,
  /** How many Rooms the page has made: one per join, and one per rejoin. */
  roomCount: () => sdk.rooms.length,
  calls: () => plain(sdk.room?.calls ?? []),
  addRemote(identity, name) {
    const room = sdk.room;
    const p = new FakeParticipant(identity, name);
    room.remoteParticipants.set(identity, p);
    room.emit(RoomEvent.ParticipantConnected, p);
  },
  removeRemote(identity) {
    sdk.room.removeRemote(identity);
  },
  publish(identity, source) {
    const room = sdk.room;
    const p = room.remoteParticipants.get(identity);
    const track = new RealTrack(SOURCES[source](), source);
    const pub = new FakePublication(track);
    p.trackPublications.set(track.sid, pub);
    room.emit(RoomEvent.TrackPublished, pub, p);
    room.emit(RoomEvent.TrackSubscribed, track, pub, p);
  },
  unpublish(identity, source) {
    const room = sdk.room;
    const p = room.remoteParticipants.get(identity);
    const pub = p.getTrackPublication(source);
    if (pub) room.unsubscribe(identity, pub);
  },
  speaking(identities) {
    const room = sdk.room;
    const all = [room.localParticipant, ...room.remoteParticipants.values()];
    room.emit(RoomEvent.ActiveSpeakersChanged, all.filter((p) => identities.includes(p.identity)));
  },
  /** The connection is lost (UNKNOWN_REASON, as after a network failure the SDK gave up on). */
  drop() {
    sdk.room.drop(0);
  },
  /** The server removes this participant (PARTICIPANT_REMOVED). */
  remove() {
    sdk.room.drop(4);
  },
  encryptionError(identity) {
    const room = sdk.room;
    room.emit(RoomEvent.EncryptionError, new Error('decryption failed'), room.remoteParticipants.get(identity));
  },
  unencrypted(identity) {
    const room = sdk.room;
    const p = room.remoteParticipants.get(identity);
    for (const pub of p.trackPublications.values()) pub.isEncrypted = false;
    room.emit(RoomEvent.ParticipantEncryptionStatusChanged, false, p);
  },
  blockAutoplay() {
    const room = sdk.room;
    room.canPlaybackAudio = false;
    room.emit(RoomEvent.AudioPlaybackStatusChanged, false);
  },
  /** The next connect fails as an unreachable SFU would. */
  failNextConnect() {
    sdk.nextConnect.push(unreachable());
  },
  /** A remote participant's call state (deafened) arrives as their client sends it. */
  peerState(identity, state) {
    const room = sdk.room;
    const from = room.remoteParticipants.get(identity);
    room.emit(RoomEvent.DataReceived, encodePeerState(state), from, 'reliable', PEER_STATE_TOPIC);
  },
  /** The call states this page sent to the others, decoded. */
  sentPeerStates() {
    return sdk.room.localParticipant.data
      .filter(([, options]) => options?.topic === PEER_STATE_TOPIC)
      .map(([payload]) => decodePeerState(payload));
  },
  /** What every track's getRTCStatsReport() answers from now on. */
  stats(reports) {
    transportStats = reports;
  },
};
