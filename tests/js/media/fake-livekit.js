// A stand-in for the parts of livekit-client the media layer uses: the Room seam (events,
// participants, publications, connect/disconnect) and the few SDK functions beside it. Event
// names and enum values are livekit-client 2.x's own strings.

export const RoomEvent = Object.freeze({
  Connected: 'connected',
  Reconnecting: 'reconnecting',
  SignalReconnecting: 'signalReconnecting',
  Reconnected: 'reconnected',
  Disconnected: 'disconnected',
  ConnectionStateChanged: 'connectionStateChanged',
  ParticipantConnected: 'participantConnected',
  ParticipantDisconnected: 'participantDisconnected',
  TrackPublished: 'trackPublished',
  TrackUnpublished: 'trackUnpublished',
  TrackSubscribed: 'trackSubscribed',
  TrackUnsubscribed: 'trackUnsubscribed',
  TrackMuted: 'trackMuted',
  TrackUnmuted: 'trackUnmuted',
  LocalTrackPublished: 'localTrackPublished',
  LocalTrackUnpublished: 'localTrackUnpublished',
  ActiveSpeakersChanged: 'activeSpeakersChanged',
  DataReceived: 'dataReceived',
  ConnectionQualityChanged: 'connectionQualityChanged',
  AudioPlaybackStatusChanged: 'audioPlaybackChanged',
  ParticipantEncryptionStatusChanged: 'participantEncryptionStatusChanged',
  EncryptionError: 'encryptionError',
  ActiveDeviceChanged: 'activeDeviceChanged',
  MediaDevicesError: 'mediaDevicesError',
  MediaDevicesChanged: 'mediaDevicesChanged',
  ParticipantNameChanged: 'participantNameChanged',
});

export const Track = Object.freeze({
  Source: Object.freeze({
    Camera: 'camera',
    Microphone: 'microphone',
    ScreenShare: 'screen_share',
    ScreenShareAudio: 'screen_share_audio',
    Unknown: 'unknown',
  }),
  Kind: Object.freeze({ Audio: 'audio', Video: 'video' }),
});

export class Emitter {
  constructor() {
    this.handlers = new Map();
  }
  on(name, fn) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name).add(fn);
    return this;
  }
  off(name, fn) {
    this.handlers.get(name)?.delete(fn);
    return this;
  }
  emit(name, ...args) {
    for (const fn of [...(this.handlers.get(name) ?? [])]) fn(...args);
    return true;
  }
  listenerCount(name) {
    return this.handlers.get(name)?.size ?? 0;
  }
}

let nextSid = 1;

export class FakeMediaStreamTrack {
  constructor(kind, id = `mst-${nextSid++}`) {
    this.kind = kind;
    this.id = id;
    this.enabled = true;
    this.readyState = 'live';
    this.clones = [];
  }
  clone() {
    const copy = new FakeMediaStreamTrack(this.kind);
    copy.enabled = this.enabled;
    this.clones.push(copy);
    return copy;
  }
  stop() {
    this.readyState = 'ended';
  }
}

export class FakeTrack extends Emitter {
  constructor({ kind = 'audio', source = 'microphone', sid = `TR_${nextSid++}`, stats = [] } = {}) {
    super();
    this.kind = kind;
    this.source = source;
    this.sid = sid;
    this.mediaStreamTrack = new FakeMediaStreamTrack(kind);
    this.isMuted = false;
    this.attachedElements = [];
    this.stats = stats;
    this.processor = undefined;
    this.restarts = [];
  }
  async mute() {
    this.isMuted = true;
    this.mediaStreamTrack.enabled = false;
    return this;
  }
  async unmute() {
    this.isMuted = false;
    this.mediaStreamTrack.enabled = true;
    return this;
  }
  attach(element) {
    this.attachedElements.push(element);
    element.srcObject = { tracks: [this.mediaStreamTrack] };
    return element;
  }
  detach(element) {
    this.attachedElements = this.attachedElements.filter((e) => e !== element);
    return element;
  }
  async getRTCStatsReport() {
    return new Map(this.stats.map((s, i) => [s.id ?? `S${i}`, s]));
  }
  getProcessor() {
    return this.processor;
  }
  async setProcessor(processor) {
    this.processor = processor;
  }
  async stopProcessor() {
    this.processor = undefined;
  }
  async restartTrack(options) {
    this.restarts.push(options);
  }
}

export class FakePublication {
  constructor(track, { encrypted = true, subscribed = true } = {}) {
    this.track = track;
    this.trackSid = track.sid;
    this.kind = track.kind;
    this.source = track.source;
    this.isEncrypted = encrypted;
    this.isMuted = false;
    this.isSubscribed = subscribed;
    this.subscribeCalls = [];
  }
  setSubscribed(value) {
    this.subscribeCalls.push(value);
    this.isSubscribed = value;
  }
}

export class FakeParticipant extends Emitter {
  constructor(identity, name = identity) {
    super();
    this.identity = identity;
    this.name = name;
    this.sid = `PA_${identity}`;
    this.trackPublications = new Map();
    this.connectionQuality = 'excellent';
    this.isSpeaking = false;
  }
  get audioTrackPublications() {
    return new Map([...this.trackPublications].filter(([, p]) => p.kind === 'audio'));
  }
  getTrackPublication(source) {
    return [...this.trackPublications.values()].find((p) => p.source === source);
  }
  get isMicrophoneEnabled() {
    const pub = this.getTrackPublication('microphone');
    return Boolean(pub && !pub.isMuted);
  }
  get isCameraEnabled() {
    const pub = this.getTrackPublication('camera');
    return Boolean(pub && !pub.isMuted);
  }
  get isScreenShareEnabled() {
    return Boolean(this.getTrackPublication('screen_share'));
  }
}

export class FakeLocalParticipant extends FakeParticipant {
  constructor(room, identity = '') {
    super(identity);
    this.room = room;
    this.permissionCalls = [];
    this.published = [];
    this.data = [];
    this.micError = null;
    this.screenShareCalls = [];
    this.screenShareError = null;
    this.cameraCalls = [];
  }
  async createTracks(options) {
    this.room.calls.push(['createTracks', options]);
    if (this.micError) throw this.micError;
    return [new FakeTrack({ kind: 'audio', source: 'microphone' })];
  }
  async publishTrack(track, options = {}) {
    // A raw MediaStreamTrack (the soundboard's) is wrapped, as the SDK does, with its options.
    if (!(track instanceof FakeTrack)) track = new FakeTrack({ kind: 'audio', source: options.source ?? 'unknown' });
    const pub = new FakePublication(track);
    pub.trackName = options.name ?? '';
    pub.publishOptions = options;
    pub.isMuted = track.isMuted;
    this.trackPublications.set(track.sid, pub);
    this.published.push(track);
    this.room.emit(RoomEvent.LocalTrackPublished, pub, this);
    return pub;
  }
  async setMicrophoneEnabled(enabled) {
    this.room.calls.push(['setMicrophoneEnabled', enabled]);
    const pub = this.getTrackPublication('microphone');
    if (!pub) {
      if (this.micError) throw this.micError;
      if (!enabled) return undefined;
      const [track] = await this.createTracks({ audio: true });
      return this.publishTrack(track);
    }
    if (enabled) await pub.track.unmute();
    else await pub.track.mute();
    pub.isMuted = !enabled;
    return pub;
  }
  async setCameraEnabled(enabled, options) {
    this.cameraCalls.push([enabled, options]);
    if (this.cameraError) throw this.cameraError;
    let pub = this.getTrackPublication('camera');
    if (enabled && !pub) pub = await this.publishTrack(new FakeTrack({ kind: 'video', source: 'camera' }));
    if (pub) pub.isMuted = !enabled;
    return pub;
  }
  async setScreenShareEnabled(enabled, capture, publish) {
    this.screenShareCalls.push([enabled, capture, publish]);
    if (enabled) {
      if (this.screenShareError) throw this.screenShareError;
      const pub = await this.publishTrack(new FakeTrack({ kind: 'video', source: 'screen_share' }));
      return pub;
    }
    for (const [sid, pub] of this.trackPublications) {
      if (pub.source === 'screen_share' || pub.source === 'screen_share_audio') {
        this.trackPublications.delete(sid);
        this.room.emit(RoomEvent.LocalTrackUnpublished, pub, this);
      }
    }
    return undefined;
  }
  setTrackSubscriptionPermissions(all, perms = []) {
    this.permissionCalls.push([all, perms]);
  }
  async publishData(payload, options) {
    this.data.push([payload, options]);
  }
}

export class FakeRoom extends Emitter {
  /** @param {object} options @param {FakeSdk} sdk */
  constructor(options, sdk) {
    super();
    this.options = options;
    this.sdk = sdk;
    this.calls = [];
    this.state = 'disconnected';
    this.remoteParticipants = new Map();
    this.localParticipant = new FakeLocalParticipant(this);
    this.localParticipant.micError = sdk.micError;
    this.isE2EEEnabled = false;
    this.canPlaybackAudio = true;
    this.activeDevices = {};
    sdk.rooms.push(this);
  }
  async connect(url, token, opts) {
    this.calls.push(['connect', url, token, opts]);
    const outcome = this.sdk.nextConnect.shift();
    if (outcome instanceof Error) {
      this.state = 'disconnected';
      throw outcome;
    }
    if (outcome && typeof outcome.then === 'function') {
      this.state = 'connecting';
      // As in livekit-client, disconnect() during a connect aborts it.
      await new Promise((resolve, reject) => {
        this.cancelConnect = () => reject(connectionError(3));
        outcome.then(resolve, reject);
      });
    }
    this.state = 'connected';
    this.localParticipant.identity = this.sdk.identity;
    this.emit(RoomEvent.Connected);
  }
  async disconnect() {
    this.calls.push(['disconnect']);
    this.cancelConnect?.();
    if (this.state === 'disconnected') return;
    this.state = 'disconnected';
    this.emit(RoomEvent.Disconnected, 1);
  }
  async setE2EEEnabled(enabled) {
    this.calls.push(['setE2EEEnabled', enabled]);
    if (this.sdk.e2eeEnableError) throw this.sdk.e2eeEnableError;
    this.isE2EEEnabled = enabled;
  }
  async startAudio() {
    this.calls.push(['startAudio']);
    this.canPlaybackAudio = true;
    this.emit(RoomEvent.AudioPlaybackStatusChanged, true);
  }
  async switchActiveDevice(kind, deviceId) {
    this.calls.push(['switchActiveDevice', kind, deviceId]);
    this.activeDevices[kind] = deviceId;
    return true;
  }
  getActiveDevice(kind) {
    return this.activeDevices[kind];
  }
  getParticipantByIdentity(identity) {
    return this.remoteParticipants.get(identity);
  }

  // --- helpers for tests: what the SFU would make happen ---

  /** A remote participant arrives. */
  addRemote(identity, name = identity) {
    const p = new FakeParticipant(identity, name);
    this.remoteParticipants.set(identity, p);
    this.emit(RoomEvent.ParticipantConnected, p);
    return p;
  }
  removeRemote(identity) {
    const p = this.remoteParticipants.get(identity);
    this.remoteParticipants.delete(identity);
    this.emit(RoomEvent.ParticipantDisconnected, p);
  }
  /** A remote track is published and subscribed. */
  subscribe(identity, { kind = 'audio', source = 'microphone', encrypted = true, stats = [], name = '' } = {}) {
    const p = this.remoteParticipants.get(identity);
    const track = new FakeTrack({ kind, source, stats });
    const pub = new FakePublication(track, { encrypted });
    pub.trackName = name;
    p.trackPublications.set(track.sid, pub);
    this.emit(RoomEvent.TrackPublished, pub, p);
    this.emit(RoomEvent.TrackSubscribed, track, pub, p);
    return { track, pub };
  }
  unsubscribe(identity, pub) {
    const p = this.remoteParticipants.get(identity);
    p.trackPublications.delete(pub.trackSid);
    this.emit(RoomEvent.TrackUnsubscribed, pub.track, pub, p);
    this.emit(RoomEvent.TrackUnpublished, pub, p);
  }
  /** The connection ends without our asking. */
  drop(reason) {
    this.state = 'disconnected';
    this.emit(RoomEvent.Disconnected, reason);
  }
}

export class FakeKeyProvider {
  constructor(options) {
    this.options = options;
    this.keys = [];
  }
  async setKey(key) {
    this.keys.push(key);
  }
}

export class FakeSdk {
  constructor({ e2eeSupported = true, browser = { name: 'Chrome', version: '130' }, identity = 'carol' } = {}) {
    this.rooms = [];
    this.nextConnect = [];
    this.e2eeSupported = e2eeSupported;
    this.browser = browser;
    this.identity = identity;
    this.e2eeEnableError = null;
    /** Set to make every new Room's microphone capture fail. */
    this.micError = null;
    this.RoomEvent = RoomEvent;
    this.Track = Track;
    const sdk = this;
    this.Room = class extends FakeRoom {
      constructor(options) {
        super(options, sdk);
      }
    };
    this.ExternalE2EEKeyProvider = FakeKeyProvider;
  }
  isE2EESupported() {
    return this.e2eeSupported;
  }
  getBrowser() {
    return this.browser;
  }
  get room() {
    return this.rooms[this.rooms.length - 1];
  }
}

/** A livekit-client ConnectionError look-alike. */
export function connectionError(reason, context) {
  return Object.assign(new Error('could not establish signal connection'), {
    name: 'ConnectionError',
    reason,
    context,
  });
}

/** Timers driven by the test: `run()` fires everything due, in order. */
export function manualTimers() {
  let now = 0;
  let id = 0;
  const pending = new Map();
  return {
    set(fn, ms) {
      id += 1;
      pending.set(id, { fn, at: now + ms });
      return id;
    },
    clear(handle) {
      pending.delete(handle);
    },
    get pending() {
      return pending.size;
    },
    /** Advances time by `ms`, firing due timers. */
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at);
        if (!due.length) break;
        const [handle, timer] = due[0];
        pending.delete(handle);
        now = timer.at;
        timer.fn();
        await flush();
      }
      now = until;
    },
  };
}

/** Lets queued promise callbacks run. */
export async function flush(rounds = 10) {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
