// Text shown to people: initials, relative times, countdowns. No DOM, so it is unit-tested.

const SQL_TS = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Milliseconds since the epoch for a server timestamp, or null. 1.x sends UTC as
 * "YYYY-MM-DD HH:MM:SS" without a zone; newer fields are ISO-8601 with an offset.
 * @param {string|null|undefined} value
 * @returns {number|null}
 */
export function parseServerTime(value) {
  if (typeof value !== 'string' || value === '') return null;
  let text = value;
  const sql = SQL_TS.exec(value);
  if (sql) text = `${sql[1]}T${sql[2]}Z`;
  else if (ISO_NO_ZONE.test(value)) text = `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * "m:ss" for a number of seconds (never negative).
 * @param {number} seconds
 */
export function clockText(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const minutes = Math.floor(total / 60);
  const rest = String(total % 60).padStart(2, '0');
  return `${minutes}:${rest}`;
}

/**
 * Whole seconds left until `deadlineMs`, rounded up so a fresh 30 s vote reads 0:30.
 * @param {number|null} deadlineMs
 * @param {number} nowMs
 */
export function secondsLeft(deadlineMs, nowMs) {
  if (deadlineMs === null) return 0;
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/**
 * The room "avatar" text: "!" for a jail, else up to two initials.
 * @param {string} name
 * @param {boolean} isJail
 */
export function roomInitials(name, isJail) {
  if (isJail) return '!';
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return firstChar(words[0]).toUpperCase();
  return words
    .slice(0, 2)
    .map((word) => firstChar(word).toUpperCase())
    .join('');
}

/** @param {string} name */
export function personInitial(name) {
  return firstChar(String(name).trim() || '?').toUpperCase();
}

/** @param {string} text */
function firstChar(text) {
  // Whole code points, so an emoji or astral letter is never cut in half.
  return Array.from(text)[0] ?? '';
}

/**
 * "Never", "Just now", "5m ago", "3h ago", "2d ago", or a date, as 1.x showed last-seen times.
 * @param {number|null} lastSeenMs
 * @param {number} nowMs
 * @param {(ms: number) => string} [dateText]
 */
export function lastSeenText(lastSeenMs, nowMs, dateText = (ms) => new Date(ms).toLocaleDateString()) {
  if (lastSeenMs === null) return 'Never';
  const minutes = Math.floor((nowMs - lastSeenMs) / 60000);
  if (minutes < 1) return 'Just now';
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days}d ago`;
  return dateText(lastSeenMs);
}

/** @param {number} count */
export function membersText(count) {
  return count === 1 ? '1 member' : `${count} members`;
}

// One collator for every comparison: localeCompare with options builds one per call, and the
// people list is sorted on every render, several times a second while people talk.
const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

/** @param {string} a @param {string} b */
export function byLocale(a, b) {
  return collator.compare(a, b);
}
