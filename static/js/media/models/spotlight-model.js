// The spotlight's state: whose video is large, and what the small picture-in-picture shows.
// No DOM here; the view asks `available` whether a video track exists right now.

/** @typedef {import('./stage-model.js').VideoSource} VideoSource */
/** @typedef {{ identity: string, source: VideoSource }} Spotlit */
/** @typedef {(identity: string, source: VideoSource) => boolean} Availability */

/** @param {VideoSource} source @returns {VideoSource} */
export function otherSource(source) {
  return source === 'camera' ? 'screen_share' : 'camera';
}

/**
 * The spotlight after a change: it clears itself when its video went away (1.x §5.3).
 * @param {Spotlit | null} spot
 * @param {Availability} available
 * @returns {Spotlit | null}
 */
export function keepSpotlight(spot, available) {
  return spot && available(spot.identity, spot.source) ? spot : null;
}

/**
 * The small box's source, when the participant has their other video too.
 * @param {Spotlit | null} spot
 * @param {Availability} available
 * @returns {VideoSource | null}
 */
export function pipSource(spot, available) {
  if (!spot) return null;
  const other = otherSource(spot.source);
  return available(spot.identity, other) ? other : null;
}

/**
 * Clicking the small box swaps the two (the only way a camera reaches the spotlight).
 * @param {Spotlit | null} spot
 * @param {Availability} available
 * @returns {Spotlit | null}
 */
export function swapSpotlight(spot, available) {
  const other = pipSource(spot, available);
  return spot && other ? { identity: spot.identity, source: other } : spot;
}

/**
 * @param {{ name: string, isLocal: boolean }} who
 * @param {VideoSource} source
 */
export function spotlightCaption(who, source) {
  const what = source === 'camera' ? 'camera' : 'screen share';
  return who.isLocal ? `Your ${what}` : `${who.name}'s ${what}`;
}

/**
 * The small box's button name: what a click brings to the large view.
 * @param {{ name: string, isLocal: boolean }} who
 * @param {VideoSource} source   the small box's source
 */
export function pipLabel(who, source) {
  return `Show ${spotlightCaption(who, source).replace(/^Your/, 'your')} large`;
}
