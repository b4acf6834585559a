// Device choices: labels for the pickers and matching a remembered choice against what the
// browser lists now (W-B2: 1.x forgot choices on every join).

/** @typedef {import('../adapters/saved-settings.js').SavedDevice} SavedDevice */

/**
 * @typedef {object} DeviceLike
 * @property {string} deviceId
 * @property {string} label
 * @property {MediaDeviceKind} kind
 */

const KIND_NAMES = /** @type {Record<string, string>} */ ({
  audioinput: 'Microphone',
  audiooutput: 'Speaker',
  videoinput: 'Camera',
});

/**
 * A device's name for a picker. Browsers hide labels until a permission is granted; 1.x then
 * showed "Microphone <first 8 characters of the id>".
 * @param {DeviceLike} device
 */
export function deviceLabel(device) {
  if (device.label) return device.label;
  if (device.deviceId === 'default' || device.deviceId === '')
    return `Default ${(KIND_NAMES[device.kind] ?? 'device').toLowerCase()}`;
  return `${KIND_NAMES[device.kind] ?? 'Device'} ${device.deviceId.slice(0, 8)}`;
}

/**
 * The device id to use for a remembered choice: the same id if still present, else a device with
 * the same label (some browsers rotate ids), else null (use the system default).
 * @param {SavedDevice | null} saved
 * @param {ReadonlyArray<DeviceLike>} available  devices of the matching kind
 * @returns {string | null}
 */
export function pickDevice(saved, available) {
  if (!saved) return null;
  if (available.some((d) => d.deviceId === saved.deviceId)) return saved.deviceId;
  if (saved.label) {
    const sameLabel = available.find((d) => d.label === saved.label);
    if (sameLabel) return sameLabel.deviceId;
  }
  return null;
}

/**
 * What to remember about a chosen device.
 * @param {DeviceLike} device
 * @returns {SavedDevice}
 */
export function rememberDevice(device) {
  return { deviceId: device.deviceId, label: device.label };
}

/**
 * The devices of one kind, deduplicated by id (Chrome lists "default" and "communications"
 * aliases next to the real entries; those are kept, exact duplicates are not).
 * @template {DeviceLike} T
 * @param {ReadonlyArray<T>} devices
 * @param {MediaDeviceKind} kind
 * @returns {T[]}
 */
export function devicesOfKind(devices, kind) {
  const seen = new Set();
  return devices.filter((d) => {
    if (d.kind !== kind || seen.has(d.deviceId)) return false;
    seen.add(d.deviceId);
    return true;
  });
}
