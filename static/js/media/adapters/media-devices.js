// Microphone, speaker and camera choices: listed, remembered, and applied on every join (W-B2),
// with the active device reported so the pickers show what is really in use.

import { devicesOfKind, pickDevice, rememberDevice } from '../rules/device-choice.js';

/** @typedef {'audioinput' | 'audiooutput' | 'videoinput'} DeviceKind */
/** @typedef {Record<DeviceKind, MediaDeviceInfo[]>} DeviceLists */

const KINDS = /** @type {const} */ (['audioinput', 'audiooutput', 'videoinput']);

/**
 * @param {object} deps
 * @param {MediaDevices | undefined} deps.mediaDevices
 * @param {import('./saved-settings.js').MediaSettingsStore} deps.settings
 * @param {(deviceId: string) => Promise<boolean>} deps.setOutputDevice
 * @param {() => void} deps.onChange
 */
export function createDeviceManager({ mediaDevices, settings, setOutputDevice, onChange }) {
  /** @type {DeviceLists} */
  let lists = { audioinput: [], audiooutput: [], videoinput: [] };
  /** @type {Record<DeviceKind, string | null>} */
  const active = { audioinput: null, audiooutput: null, videoinput: null };

  async function refresh() {
    if (!mediaDevices?.enumerateDevices) return lists;
    try {
      const all = await mediaDevices.enumerateDevices();
      lists = {
        audioinput: devicesOfKind(all, 'audioinput'),
        audiooutput: devicesOfKind(all, 'audiooutput'),
        videoinput: devicesOfKind(all, 'videoinput'),
      };
    } catch (error) {
      console.warn('could not list media devices', error);
    }
    onChange();
    return lists;
  }

  const onDeviceChange = () => void refresh();
  mediaDevices?.addEventListener?.('devicechange', onDeviceChange);

  /**
   * The device id to use for a kind: the remembered one if it is still present, else null
   * (the system default).
   * @param {DeviceKind} kind
   */
  function resolved(kind) {
    return pickDevice(settings.get('devices')[kind], lists[kind]);
  }

  /** Capture defaults for a new Room, and the speaker, from what was remembered. */
  async function prepareJoin() {
    await refresh();
    const audioinput = resolved('audioinput');
    const videoinput = resolved('videoinput');
    const audiooutput = resolved('audiooutput');
    if (audiooutput) await applyOutput(audiooutput);
    return {
      audioDeviceId: audioinput ?? undefined,
      videoDeviceId: videoinput ?? undefined,
    };
  }

  /** @param {string} deviceId */
  async function applyOutput(deviceId) {
    try {
      if (await setOutputDevice(deviceId)) active.audiooutput = deviceId;
    } catch (error) {
      console.warn('could not switch the speaker', error);
    }
  }

  /**
   * Uses and remembers a device.
   * @param {DeviceKind} kind
   * @param {string} deviceId
   * @param {any} room  the current Room, or null between calls
   */
  async function choose(kind, deviceId, room) {
    const device = lists[kind].find((d) => d.deviceId === deviceId);
    settings.update('devices', (saved) => ({
      ...saved,
      [kind]: device ? rememberDevice(device) : { deviceId, label: '' },
    }));
    if (kind === 'audiooutput') await applyOutput(deviceId);
    else if (room) {
      try {
        await room.switchActiveDevice(kind, deviceId);
      } catch (error) {
        console.warn('could not switch device', kind, error);
      }
    }
    onChange();
  }

  /**
   * What is in use now (a Room reports its capture devices; the speaker is ours).
   * @param {any} room
   * @returns {Record<DeviceKind, string | null>}
   */
  function current(room) {
    return {
      audioinput: room?.getActiveDevice?.('audioinput') ?? resolved('audioinput'),
      videoinput: room?.getActiveDevice?.('videoinput') ?? resolved('videoinput'),
      audiooutput: active.audiooutput ?? resolved('audiooutput'),
    };
  }

  function close() {
    mediaDevices?.removeEventListener?.('devicechange', onDeviceChange);
  }

  return {
    refresh,
    prepareJoin,
    choose,
    current,
    close,
    get lists() {
      return lists;
    },
    kinds: KINDS,
  };
}
