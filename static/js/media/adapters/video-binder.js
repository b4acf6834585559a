// Which LiveKit track plays in which <video>. Renders run many times a second; attaching the
// same track to the same element again restarts playback and flickers, so every element
// remembers its track and only a real change reattaches.

/**
 * @typedef {object} AttachableTrack
 * @property {(element: any) => unknown} attach
 * @property {(element: any) => unknown} detach
 */

/**
 * @template E
 * @param {{ warn?: (...args: any[]) => void }} [log]
 */
export function createTrackBinder(log = console) {
  /** @type {Map<E, AttachableTrack>} */
  const bound = new Map();

  /** Detaching only this element: the same track may play elsewhere (tile and spotlight). @param {E} element */
  function release(element) {
    const track = bound.get(element);
    if (!track) return;
    bound.delete(element);
    try {
      track.detach(element);
    } catch (error) {
      log.warn?.('detaching a video failed', error);
    }
  }

  return {
    /**
     * Shows `track` in `element` (null: nothing). Returns whether anything changed.
     * @param {E} element
     * @param {AttachableTrack | null} track
     */
    bind(element, track) {
      if (bound.get(element) === (track ?? undefined)) return false;
      release(element);
      if (track) {
        track.attach(element);
        bound.set(element, track);
      }
      return true;
    },
    release,
    /** Lets go of elements that left the page (a tile removed by its list). @param {(element: E) => boolean} alive */
    sweep(alive) {
      for (const element of [...bound.keys()]) if (!alive(element)) release(element);
    },
    /** @param {E} element */
    trackOf: (element) => bound.get(element) ?? null,
    get size() {
      return bound.size;
    },
  };
}

/** @typedef {ReturnType<typeof createTrackBinder>} TrackBinder */
