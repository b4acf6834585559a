// Small DOM pieces the stage's views share.

import { el, icon } from '../dom.js';

/**
 * A muted, inline, autoplaying <video>, hidden until it has a track: sound plays through the
 * media layer's audio graph, never through a video element.
 * @param {string} className
 */
export function createVideo(className) {
  const video = /** @type {HTMLVideoElement} */ (
    el('video', { className, attrs: { autoplay: true, playsinline: true, muted: true } })
  );
  video.muted = true;
  video.hidden = true;
  return video;
}

/**
 * A toggle button's two icons; the stylesheet shows one by the button's aria-pressed.
 * @param {HTMLElement} button @param {string} pressed @param {string} unpressed  icon names
 */
export function withToggleIcons(button, pressed, unpressed) {
  const on = icon(pressed);
  on.classList.add('when-pressed');
  const off = icon(unpressed);
  off.classList.add('when-unpressed');
  button.append(off, on);
  return button;
}
