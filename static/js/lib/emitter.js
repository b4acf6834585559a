// A minimal publish/subscribe helper used by the store, the media seam and the UI hooks.

/**
 * @template T
 * @returns {{on: (name: string, fn: (payload: T) => void) => () => void, emit: (name: string, payload: T) => void}}
 */
export function createEmitter() {
  /** @type {Map<string, Set<(payload: T) => void>>} */
  const handlers = new Map();
  return {
    on(name, fn) {
      if (!handlers.has(name)) handlers.set(name, new Set());
      handlers.get(name)?.add(fn);
      return () => handlers.get(name)?.delete(fn);
    },
    emit(name, payload) {
      for (const fn of [...(handlers.get(name) ?? [])]) {
        try {
          fn(payload);
        } catch (error) {
          // One broken listener must not stop the others (or the caller).
          console.warn(`listener for ${name} failed`, error);
        }
      }
    },
  };
}
