// Versioned, fail-safe key/value persistence for the media settings.
//
// localStorage can be missing (sandboxed frames), throw on access (Safari with storage blocked),
// refuse writes (quota, private mode) or hold garbage written by an older build or by hand. None
// of that may break joining a call, so every failure degrades to "use the default".

/**
 * The subset of the Web Storage API this module needs.
 * @typedef {object} KeyValueBackend
 * @property {(key: string) => string | null} getItem
 * @property {(key: string, value: string) => void} setItem
 * @property {(key: string) => void} removeItem
 */

/**
 * @template T
 * @typedef {(value: unknown) => T | undefined} Validator
 *   Returns the value to use (possibly normalised), or undefined to reject it.
 */

/** Bump when a stored shape changes incompatibly; old keys are then simply ignored. */
export const STORAGE_VERSION = 2;
export const KEY_PREFIX = `distokoloshe.v${STORAGE_VERSION}.`;

/**
 * An in-memory backend, used when the browser's storage is unusable (and in tests).
 * @returns {KeyValueBackend & { dump(): Record<string, string> }}
 */
export function memoryBackend() {
  /** @type {Map<string, string>} */
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? /** @type {string} */ (items.get(key)) : null),
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    dump: () => Object.fromEntries(items),
  };
}

/**
 * The page's localStorage if it can actually be used, else an in-memory stand-in.
 * @param {unknown} [scope] where to look for `localStorage` (globalThis by default)
 * @returns {KeyValueBackend}
 */
export function defaultBackend(scope = globalThis) {
  try {
    const storage = /** @type {{ localStorage?: KeyValueBackend }} */ (scope).localStorage;
    if (storage) {
      // Reading the property can succeed while every call throws (storage disabled by policy).
      storage.getItem(`${KEY_PREFIX}probe`);
      return storage;
    }
  } catch {
    // fall through to memory
  }
  return memoryBackend();
}

/**
 * Parses JSON without throwing.
 * @param {string | null} text
 * @returns {{ ok: true, value: unknown } | { ok: false }}
 */
export function safeParse(text) {
  if (text === null) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * A store of JSON values under versioned keys.
 * @param {KeyValueBackend} [backend]
 */
export function createStore(backend = defaultBackend()) {
  /**
   * The stored value if present, parseable and accepted by `validate`; otherwise `fallback`.
   * @template T
   * @param {string} name
   * @param {T} fallback
   * @param {Validator<T>} validate
   * @returns {T}
   */
  function read(name, fallback, validate) {
    const parsed = safeParse(getRaw(KEY_PREFIX + name));
    if (!parsed.ok) return fallback;
    const value = validate(parsed.value);
    return value === undefined ? fallback : value;
  }

  /**
   * Stores a value; false if the browser refused (the setting then lasts only for this page).
   * @param {string} name
   * @param {unknown} value
   * @returns {boolean}
   */
  function write(name, value) {
    try {
      backend.setItem(KEY_PREFIX + name, JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  }

  /** @param {string} name */
  function remove(name) {
    try {
      backend.removeItem(KEY_PREFIX + name);
    } catch {
      // nothing stored that we could reach anyway
    }
  }

  /**
   * A raw (unversioned) item, for reading what the 1.x client left behind.
   * @param {string} key
   * @returns {string | null}
   */
  function getRaw(key) {
    try {
      return backend.getItem(key);
    } catch {
      return null;
    }
  }

  /**
   * Whether a versioned value exists at all (even an invalid one).
   * @param {string} name
   */
  function has(name) {
    return getRaw(KEY_PREFIX + name) !== null;
  }

  return { read, write, remove, getRaw, has };
}

/** @typedef {ReturnType<typeof createStore>} Store */
