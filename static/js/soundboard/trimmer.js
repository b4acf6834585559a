// 2.x's clip trimmer, a modal: the waveform of channel 0 (one min/max peak per pixel, the
// selection drawn in indigo), draggable start and end handles and a draggable region, the
// readout, Preview/Stop with a moving playhead, Cancel (the button, Escape, a backdrop click),
// and Confirm, which hands back the selection as a mono 16-bit WAV.

import { byId, setText } from '../ui/dom.js';
import { canConfirm, encodeWav, initialSelection, moveSelection, peaks, readout } from './trim.js';

const HANDLE_PX = 8;

export class Trimmer {
  /** @param {{context: () => AudioContext}} deps  the local (preview) audio context */
  constructor({ context }) {
    this.context = context;
    this.dialog = /** @type {HTMLDialogElement} */ (byId('soundboard-trim'));
    this.canvas = /** @type {HTMLCanvasElement} */ (byId('soundboard-wave'));
    this.info = byId('soundboard-trim-readout');
    this.previewButton = /** @type {HTMLButtonElement} */ (byId('soundboard-trim-preview'));
    this.confirmButton = /** @type {HTMLButtonElement} */ (byId('soundboard-trim-confirm'));
    /** @type {AudioBuffer|null} */
    this.buffer = null;
    this.selection = { start: 0, end: 0 };
    /** @type {{what: 'start'|'end'|'region', offset: number}|null} */
    this.drag = null;
    /** @type {{source: AudioBufferSourceNode, startedAt: number}|null} */
    this.previewing = null;
    /** @type {((wav: ArrayBuffer|null) => void)|null} */
    this.resolve = null;
  }

  mount() {
    byId('soundboard-trim-cancel').addEventListener('click', () => this.finish(null));
    this.dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.finish(null);
    });
    // A click on the backdrop lands on the dialog itself, outside its box.
    this.dialog.addEventListener('click', (event) => event.target === this.dialog && this.finish(null));
    this.previewButton.addEventListener('click', () => (this.previewing ? this.stopPreview() : this.preview()));
    this.confirmButton.addEventListener('click', () => this.confirm());
    this.canvas.addEventListener('pointerdown', (event) => this.grab(event));
    this.canvas.addEventListener('pointermove', (event) => this.move(event));
    this.canvas.addEventListener('pointerup', () => (this.drag = null));
    this.canvas.addEventListener('pointercancel', () => (this.drag = null));
    this.canvas.addEventListener('keydown', (event) => this.key(event));
  }

  /** The keyboard's way to trim: arrows move the end, Shift+arrows the start, 0.1 s a step. @param {KeyboardEvent} event */
  key(event) {
    const step = { ArrowLeft: -0.1, ArrowRight: 0.1 }[event.key];
    if (step === undefined || !this.buffer) return;
    event.preventDefault();
    const what = event.shiftKey ? 'start' : 'end';
    this.selection = moveSelection(this.selection, what, this.selection[what] + step, this.buffer.duration);
    this.draw();
  }

  /** Opens on a decoded clip; resolves with the WAV to upload, or null if cancelled. @param {AudioBuffer} buffer */
  open(buffer) {
    this.buffer = buffer;
    this.selection = initialSelection(buffer.duration);
    this.dialog.showModal();
    this.draw();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  /** @param {ArrayBuffer|null} wav */
  finish(wav) {
    this.stopPreview();
    if (this.dialog.open) this.dialog.close();
    this.resolve?.(wav);
    this.resolve = null;
  }

  confirm() {
    if (!this.buffer || !canConfirm(this.selection)) return;
    const { start, end } = this.selection;
    this.finish(encodeWav(this.buffer.getChannelData(0), this.buffer.sampleRate, start, end));
  }

  /** @param {number} x css px @returns {number} seconds */
  timeAt(x) {
    const width = this.canvas.clientWidth || this.canvas.width;
    return (Math.min(Math.max(0, x), width) / width) * (this.buffer?.duration ?? 0);
  }

  /** @param {number} seconds @returns {number} css px */
  xOf(seconds) {
    const width = this.canvas.clientWidth || this.canvas.width;
    return (seconds / (this.buffer?.duration || 1)) * width;
  }

  /** @param {PointerEvent} event */
  grab(event) {
    const x = event.offsetX;
    const { start, end } = this.selection;
    if (Math.abs(x - this.xOf(start)) <= HANDLE_PX) this.drag = { what: 'start', offset: 0 };
    else if (Math.abs(x - this.xOf(end)) <= HANDLE_PX) this.drag = { what: 'end', offset: 0 };
    else if (x > this.xOf(start) && x < this.xOf(end)) this.drag = { what: 'region', offset: this.timeAt(x) - start };
    else return;
    this.canvas.setPointerCapture?.(event.pointerId);
  }

  /** @param {PointerEvent} event */
  move(event) {
    if (!this.drag || !this.buffer) return;
    const at = this.timeAt(event.offsetX) - this.drag.offset;
    this.selection = moveSelection(this.selection, this.drag.what, at, this.buffer.duration);
    this.draw();
  }

  preview() {
    if (!this.buffer) return;
    const ctx = this.context();
    void ctx.resume();
    const source = ctx.createBufferSource();
    source.buffer = this.buffer;
    source.connect(ctx.destination);
    const { start, end } = this.selection;
    source.start(0, start, end - start);
    source.onended = () => this.previewing?.source === source && this.stopPreview();
    this.previewing = { source, startedAt: ctx.currentTime };
    setText(this.previewButton, 'Stop');
    const tick = () => {
      if (this.previewing?.source !== source) return;
      this.draw(start + (ctx.currentTime - this.previewing.startedAt));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  stopPreview() {
    const was = this.previewing;
    this.previewing = null;
    try {
      was?.source.stop();
    } catch {
      // Already ended.
    }
    setText(this.previewButton, 'Preview');
    this.draw();
  }

  /** @param {number|null} [playhead] seconds */
  draw(playhead = null) {
    const canvas = this.canvas;
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    if (!g || !this.buffer) return;
    const { start, end } = this.selection;
    const [from, to] = [this.xOf(start), this.xOf(end)];
    const style = getComputedStyle(canvas);
    g.clearRect(0, 0, width, height);
    g.fillStyle = style.getPropertyValue('--trim-selection').trim() || 'rgba(99, 102, 241, 0.25)';
    g.fillRect(from, 0, to - from, height);
    const columns = peaks(this.buffer.getChannelData(0), width);
    columns.forEach(([low, high], x) => {
      g.fillStyle = x >= from && x <= to ? '#6366f1' : style.getPropertyValue('--trim-wave').trim() || '#71717a';
      g.fillRect(x, ((1 - high) * height) / 2, 1, Math.max(1, ((high - low) * height) / 2));
    });
    g.fillStyle = '#4f46e5';
    g.fillRect(from - 2, 0, 4, height);
    g.fillRect(to - 2, 0, 4, height);
    if (playhead !== null) {
      g.fillStyle = '#f59e0b';
      g.fillRect(this.xOf(playhead) - 1, 0, 2, height);
    }
    setText(this.info, readout(this.selection));
    this.canvas.setAttribute('aria-valuenow', (end - start).toFixed(1));
    this.canvas.setAttribute('aria-valuetext', readout(this.selection));
    this.confirmButton.disabled = !canConfirm(this.selection);
  }
}
