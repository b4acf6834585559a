// One chat line as DOM: who, when, the text cut into text, links and mentions, an image. User
// text only ever goes in as text nodes and attribute values, never as markup.

import { el } from '../ui/dom.js';
import { chatPieces } from './text.js';

/**
 * The pieces of a line as nodes: links open in a new tab without handing it this page, my
 * mentions are marked.
 * @param {string} text @param {{members: Iterable<string>, me: string}} who
 */
export function textNodes(text, who) {
  return chatPieces(text, who).map((piece) => {
    if (piece.kind === 'link') {
      return el('a', {
        className: 'chat-link',
        text: piece.text,
        attrs: { href: piece.href, target: '_blank', rel: 'noopener noreferrer nofollow' },
      });
    }
    if (piece.kind === 'mention') {
      return el(piece.me ? 'mark' : 'span', { className: `chat-mention${piece.me ? ' is-me' : ''}`, text: piece.text });
    }
    return document.createTextNode(piece.text);
  });
}

/** A line's image, linking to the full size, or a note that it expired. @param {{imageId?: string, imageExpired?: boolean}} line @param {string} alt */
export function imageNode(line, alt) {
  if (line.imageId) {
    const src = `/api/chat/image/${encodeURIComponent(line.imageId)}`;
    return el('a', { className: 'chat-image-link', attrs: { href: src, target: '_blank', rel: 'noopener noreferrer' } },
      el('img', { className: 'chat-image', attrs: { src, alt, loading: 'lazy' } }));
  }
  if (line.imageExpired) return el('span', { className: 'chat-image-gone', text: '(image expired)' });
  return null;
}

/** "14:05", in the reader's clock. @param {number} ts */
export function clockTime(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
