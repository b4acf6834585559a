// A tile's soundbite control: "Save soundbite" for someone this page is recording, or a note
// saying they opted out (and no button, since nothing of theirs is kept). The button's
// `data-soundbite` says what the page is doing: recording, opted-out, or idle (no mic yet).

import { el, icon, setAttr, setText, show } from '../dom.js';

/**
 * @param {{ saveSoundbite: (identity: string) => Promise<number> }} layer
 * @param {() => string} identity  the tile's person, read at click time
 */
export function buildSoundbiteControl(layer, identity) {
  const button = /** @type {HTMLButtonElement} */ (
    el('button', { className: 'icon-button tile-soundbite', attrs: { type: 'button' } }, icon('scissors'))
  );
  button.addEventListener('click', () => void layer.saveSoundbite(identity()));
  const note = el('span', { className: 'tile-soundbite-note', text: 'No soundbites', attrs: { hidden: true } });
  return { button, note };
}

/**
 * @param {ReturnType<typeof buildSoundbiteControl>} control
 * @param {{ name: string, isMe: boolean, supported: boolean, status: { optedOut: boolean, recording: boolean } }} view
 */
export function renderSoundbiteControl({ button, note }, { name, isMe, supported, status }) {
  const state = status.optedOut ? 'opted-out' : status.recording ? 'recording' : 'idle';
  if (button.dataset.soundbite !== state) button.dataset.soundbite = state;
  show(button, supported && !isMe && !status.optedOut);
  button.disabled = !status.recording;
  const label = status.recording ? `Save soundbite of ${name} (last 10 s)` : `No soundbite of ${name} yet`;
  setAttr(button, 'aria-label', label);
  setAttr(button, 'title', label);
  show(note, !isMe && status.optedOut);
  setAttr(note, 'title', `${name} opted out of soundbites: nothing of theirs is recorded`);
  setText(note, 'No soundbites');
}
