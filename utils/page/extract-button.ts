import { i18n } from '#i18n';
import { containsAcrossShadows } from './shadow-roots';
import { HOST_TAG } from './target-tracker';

const STYLE = `
:host { all: initial; position: absolute; z-index: 2147483647; display: block; }
.row { display: flex; gap: 6px; }
.wrap { display: flex; flex-direction: column; align-items: flex-end; gap: 6px; font: 600 13px/1.2 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
button {
  all: unset; box-sizing: border-box; cursor: pointer; display: inline-flex; align-items: center; gap: 6px;
  padding: 6px 10px; border-radius: 8px; color: #fff; background: rgba(17, 24, 39, 0.88);
  border: 1px solid rgba(255, 255, 255, 0.55); box-shadow: 0 1px 4px rgba(0, 0, 0, 0.35); white-space: nowrap;
}
button:hover { background: rgba(11, 99, 206, 0.95); }
button:focus-visible { outline: 3px solid #6aa8ff; outline-offset: 2px; }
button[aria-disabled='true'] { opacity: 0.6; cursor: not-allowed; }
.bar { width: 100%; height: 4px; border-radius: 2px; background: rgba(255, 255, 255, 0.35); overflow: hidden; }
.bar > div { height: 100%; background: #6aa8ff; }
.note, .alert { max-width: 300px; padding: 8px 10px; border-radius: 8px; font-weight: 500; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.3); }
.note { background: #fff; color: #1b1f24; }
.alert { background: #fdecea; color: #8a1c12; border: 1px solid #f3b8b0; }
[hidden] { display: none !important; }
`;

/**
 * The in-page "Extract MP3" button for one video or file input. It lives in an open shadow root
 * on the page's root element, positioned over (or beside) its target, so the page's layout never moves.
 */
export class ExtractButton {
  readonly host = document.createElement(HOST_TAG);
  private readonly button = document.createElement('button');
  /** **Stop**, shown while a live stream is recorded. */
  private readonly stop = document.createElement('button');
  private onStop: (() => void) | undefined;
  private readonly bar = document.createElement('div');
  private readonly note = document.createElement('div');
  private readonly alert = document.createElement('div');
  private disabledReason: string | undefined;

  constructor(
    readonly target: HTMLVideoElement | HTMLInputElement,
    onClick: (event: MouseEvent) => void,
  ) {
    const root = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    const wrap = document.createElement('div');
    wrap.className = 'wrap';
    this.button.type = 'button';
    this.button.setAttribute('aria-label', i18n.t('page.extractMp3'));
    this.button.textContent = i18n.t('page.extractMp3');
    this.button.addEventListener('click', (event) => {
      event.stopPropagation();
      event.preventDefault();
      if (!this.disabledReason) onClick(event);
    });
    this.stop.type = 'button';
    this.stop.textContent = i18n.t('page.stop');
    this.stop.hidden = true;
    this.stop.addEventListener('click', (event) => {
      event.stopPropagation();
      event.preventDefault();
      // Only a person's click stops a recording, never a page script's synthetic one.
      if (event.isTrusted) this.onStop?.();
    });
    const row = document.createElement('div');
    row.className = 'row';
    row.append(this.button, this.stop);
    this.bar.className = 'bar';
    this.bar.setAttribute('role', 'progressbar');
    this.bar.setAttribute('aria-label', i18n.t('page.extracting'));
    this.bar.setAttribute('aria-valuemin', '0');
    this.bar.setAttribute('aria-valuemax', '100');
    this.bar.append(document.createElement('div'));
    this.bar.hidden = true;
    this.note.className = 'note';
    this.note.setAttribute('role', 'status');
    this.note.hidden = true;
    this.alert.className = 'alert';
    this.alert.setAttribute('role', 'alert');
    this.alert.hidden = true;
    wrap.append(row, this.bar, this.note, this.alert);
    root.append(style, wrap);
  }

  /** Shows a job's progress on the button; `percent` undefined means waiting with no number yet. */
  showProgress(label: string, percent: number | undefined): void {
    this.alert.hidden = true;
    this.note.hidden = true;
    this.stop.hidden = true;
    this.button.textContent = percent === undefined ? label : `${label} ${percent}%`;
    this.bar.hidden = percent === undefined;
    if (percent !== undefined) {
      this.bar.setAttribute('aria-valuenow', String(percent));
      (this.bar.firstElementChild as HTMLElement).style.width = `${percent}%`;
    }
  }

  /** A live stream being recorded: its length so far, and **Stop**. */
  showRecording(label: string, onStop: () => void): void {
    this.showProgress(label, undefined);
    this.onStop = onStop;
    this.stop.hidden = false;
  }

  showDone(message: string): void {
    this.reset();
    this.note.textContent = message;
    this.note.hidden = false;
  }

  showError(message: string): void {
    this.reset();
    this.alert.textContent = message;
    this.alert.hidden = false;
  }

  /** A file input's button stays disabled, with a tooltip, until a file is chosen. */
  setDisabled(reason: string | undefined): void {
    this.disabledReason = reason;
    this.button.setAttribute('aria-disabled', String(!!reason));
    if (reason) this.button.title = reason;
    else this.button.removeAttribute('title');
  }

  private reset(): void {
    this.button.textContent = i18n.t('page.extractMp3');
    this.stop.hidden = true;
    this.bar.hidden = true;
    this.note.hidden = true;
    this.alert.hidden = true;
  }

  /** Places the button at the video's top-right corner, or just right of a file input. */
  place(): void {
    const rect = this.target.getBoundingClientRect();
    const fullscreen = document.fullscreenElement;
    const container =
      fullscreen && fullscreen !== this.target && containsAcrossShadows(fullscreen, this.target)
        ? fullscreen
        : document.documentElement;
    if (this.host.parentNode !== container) container.append(this.host);
    this.host.style.display = fullscreen && container === document.documentElement ? 'none' : '';
    const fixed = container !== document.documentElement;
    this.host.style.position = fixed ? 'fixed' : 'absolute';
    const offsetX = fixed ? 0 : window.scrollX;
    const offsetY = fixed ? 0 : window.scrollY;
    if (this.target instanceof HTMLVideoElement) {
      this.host.style.top = `${rect.top + offsetY + 8}px`;
      this.host.style.left = `${rect.right + offsetX - 8}px`;
      this.host.style.transform = 'translateX(-100%)';
    } else {
      this.host.style.top = `${rect.top + offsetY}px`;
      this.host.style.left = `${rect.right + offsetX + 8}px`;
      this.host.style.transform = 'none';
    }
  }

  remove(): void {
    this.host.remove();
  }
}
