// Plugs the media layer into the room page's seam (lib/media.js): join responses go to the
// layer, the layer's connection state goes back to the seam for the header and banners.

import { createBrowserMedia } from './browser.js';

/**
 * @typedef {object} MediaSeam
 * @property {(layer: { connect: (join: any) => Promise<void>, disconnect: () => Promise<void> }) => Promise<void>} attach
 * @property {(state: { state: any, roomId: number | null, detail?: string }) => void} set
 */

/**
 * @param {MediaSeam} seam
 * @param {Parameters<typeof createBrowserMedia>[0]} options
 * @returns {Promise<import('./browser.js').BrowserMedia>} the layer, for the media controls
 */
export async function attachMedia(seam, options) {
  const layer = createBrowserMedia(options);
  let last = '';
  layer.subscribe(() => {
    const { state, roomId, detail } = layer.getState().connection;
    const key = `${state}|${roomId}|${detail ?? ''}`;
    if (key === last) return;
    last = key;
    seam.set(detail ? { state, roomId, detail } : { state, roomId });
  });
  await seam.attach({
    // Not awaited: reaching the SFU can take many seconds, and the join flow (room details,
    // the next click) must not wait for it. Progress and failure arrive through `set`.
    connect: async (join) => void layer.connect(join),
    disconnect: () => layer.disconnect(),
  });
  return layer;
}
