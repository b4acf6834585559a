// The pieces every section of the settings panel is built from: a titled group, a device picker
// that selects the device really in use, and a percent slider. Each updates in place and leaves
// alone whatever has focus, so a render under the pointer or the keyboard changes nothing.

import { deviceChoices } from '../../media/models/settings-model.js';
import { el, setAttr, setText } from '../dom.js';

/** @typedef {'audioinput' | 'audiooutput' | 'videoinput'} DeviceKind */
/** @typedef {import('../../media/models/media-snapshot.js').MediaSnapshot} MediaSnapshot */

const DEVICE_NAMES = { audioinput: 'microphone', audiooutput: 'speaker', videoinput: 'camera' };

/** What each picker lists, so a render that changes nothing leaves its options alone. */
const shownOptions = new WeakMap();

/** @param {HTMLSelectElement} select @param {Array<{ value: string, label: string }>} options */
export function fillSelect(select, options) {
  const signature = JSON.stringify(options);
  if (shownOptions.get(select) === signature) return;
  shownOptions.set(select, signature);
  select.replaceChildren(...options.map((o) => el('option', { attrs: { value: o.value }, text: o.label })));
}

/** @param {Element} node */
export const focused = (node) => node === document.activeElement;

/**
 * One section of the panel under its heading, which its controls name themselves after.
 * @param {string} headingId @param {string} title @param {...(Node | null)} children
 */
export function settingsGroup(headingId, title, ...children) {
  const heading = el('h3', { className: 'settings-heading', attrs: { id: headingId }, text: title });
  return el('section', { className: 'settings-group' }, heading, ...children);
}

/**
 * @param {DeviceKind} kind @param {string} id @param {string} headingId
 * @param {(deviceId: string) => Promise<void>} choose  applies the choice through the layer
 */
export function devicePicker(kind, id, headingId, choose) {
  const select = /** @type {HTMLSelectElement} */ (
    el('select', { className: 'settings-select', attrs: { id, 'aria-labelledby': headingId } })
  );
  select.addEventListener('change', () => {
    if (select.value) void choose(select.value);
  });
  /** @param {MediaSnapshot} snapshot @param {boolean} fresh  just opened: refill even with focus */
  const render = (snapshot, fresh) => {
    if (focused(select) && !fresh) return;
    const list = snapshot.devices.lists[kind] ?? [];
    const { options, value } = deviceChoices(list, snapshot.devices.active[kind]);
    fillSelect(select, options.length ? options : [{ value: '', label: `No ${DEVICE_NAMES[kind]} found` }]);
    select.disabled = !options.length;
    if (select.value !== value) select.value = value;
  };
  return { select, render };
}

/**
 * A labelled 0..max % range with its value shown; applied when released, not on every step.
 * @param {string} id @param {string} label @param {number} max @param {(value: number) => void} apply
 */
export function slider(id, label, max, apply) {
  const input = /** @type {HTMLInputElement} */ (
    el('input', { className: 'settings-range', attrs: { id, type: 'range', min: 0, max, step: 5 } })
  );
  const output = el('output', { className: 'settings-range-value', attrs: { for: id } });
  const display = () => {
    setText(output, `${input.value} %`);
    setAttr(input, 'aria-valuetext', `${input.value} %`);
  };
  input.addEventListener('input', display);
  input.addEventListener('change', () => apply(Number(input.value)));
  const set = (/** @type {number} */ percent) => {
    if (focused(input) || input.value === String(percent)) return;
    input.value = String(percent);
    display();
  };
  const caption = el('label', { attrs: { for: id }, text: label });
  return { row: el('div', { className: 'settings-range-row' }, caption, input, output), set };
}
