// Small helpers of the media layer: room options from the settings, a batched change signal,
// and the latest user-facing notice.

/** Room events after which the snapshot may have changed (livekit-client RoomEvent keys). */
export const ROOM_CHANGE_EVENTS = Object.freeze([
  'ParticipantConnected',
  'ParticipantDisconnected',
  'TrackPublished',
  'TrackUnpublished',
  'TrackSubscribed',
  'TrackUnsubscribed',
  'TrackMuted',
  'TrackUnmuted',
  'LocalTrackPublished',
  'LocalTrackUnpublished',
  'ConnectionQualityChanged',
  'ParticipantEncryptionStatusChanged',
  'ParticipantNameChanged',
  'ActiveDeviceChanged',
  'AudioPlaybackStatusChanged',
]);

/**
 * RoomOptions for a new Room (1.x's, plus the remembered devices and capture processing).
 * @param {import('./adapters/saved-settings.js').MediaSettingsStore} settings
 * @param {{ audioDeviceId?: string, videoDeviceId?: string }} chosen
 */
export function buildRoomOptions(settings, { audioDeviceId, videoDeviceId }) {
  return {
    adaptiveStream: true,
    dynacast: true,
    audioCaptureDefaults: {
      ...(audioDeviceId ? { deviceId: audioDeviceId } : {}),
      noiseSuppression: settings.get('noiseSuppression'),
      echoCancellation: settings.get('echoCancellation'),
      autoGainControl: settings.get('autoGainControl'),
    },
    videoCaptureDefaults: videoDeviceId ? { deviceId: videoDeviceId } : {},
    // RED is dropped by the SDK itself when E2EE is on.
    publishDefaults: { dtx: true, red: true },
  };
}

/**
 * A change signal that coalesces bursts (a join fires dozens of room events) into one
 * notification per microtask.
 */
export function createNotifier() {
  /** @type {Set<() => void>} */
  const listeners = new Set();
  let pending = false;
  return {
    notify() {
      if (pending) return;
      pending = true;
      queueMicrotask(() => {
        pending = false;
        for (const listener of [...listeners]) {
          try {
            listener();
          } catch (error) {
            console.warn('media listener failed', error);
          }
        }
      });
    },
    /** @param {() => void} listener @returns {() => void} */
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** @typedef {{ kind: 'mic' | 'camera' | 'share' | 'e2ee', text: string, serial: number }} Notice */

/**
 * The latest notice for the banner; the serial tells a repeat of the same text from a new one.
 * @param {() => void} onChange
 */
export function createNotices(onChange) {
  /** @type {Notice | null} */
  let latest = null;
  let serial = 0;
  return {
    /** @param {Notice['kind']} kind @param {string} text */
    show(kind, text) {
      latest = { kind, text, serial: ++serial };
      onChange();
    },
    get latest() {
      return latest;
    },
  };
}
