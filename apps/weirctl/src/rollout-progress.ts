import type { Rollout } from './admin-types';
import type { TextSink } from './output';
import { eventLine, rolloutLine, rolloutPanel } from './rollout-view';

/** Options of {@link RolloutProgress}. */
export interface RolloutProgressOptions {
  /** `tty`: redraw a live panel in place; `plain`: one line per transition or update. */
  readonly mode: 'tty' | 'plain';
  /** Terminal width (read at every redraw: the terminal may be resized). */
  readonly columns: () => number;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  /** Redraw interval on a terminal, so "baked" keeps counting during a long-poll. Default 1000 ms; 0 disables. */
  readonly tickMs?: number;
}

/** ESC [ n F: cursor to the start of the line n lines up; ESC [ J: clear to the end of the screen. */
const up = (lines: number): string => `\u001b[${lines}F\u001b[J`;

/**
 * Shows a followed rollout as it changes. On a terminal it prints each new event as a line and
 * keeps a panel (rollout-view.ts) redrawn below them; elsewhere (CI logs, pipes) it prints one
 * plain line per new event and one per changed state or analysis, without ANSI codes.
 */
export class RolloutProgress {
  private last: Rollout | null = null;
  private eventsShown = 0;
  private drawnLines = 0;
  private lastPlain = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sink: TextSink,
    private readonly options: RolloutProgressOptions,
  ) {}

  /** Show `rollout` (call with every answer; unchanged answers print nothing in plain mode). */
  update(rollout: Rollout): void {
    if (this.last !== null && this.last.id !== rollout.id) this.eventsShown = 0;
    this.last = rollout;
    const fresh = rollout.events.slice(this.eventsShown).map((event) => eventLine(rollout, event));
    this.eventsShown = rollout.events.length;
    if (this.options.mode === 'plain') {
      for (const line of fresh) this.sink.write(`${line}\n`);
      const line = rolloutLine(rollout, this.options.now());
      // The bake time changes with every answer; print a new line only when something else did.
      const key = line.replace(/ baked [^|]*/, '');
      if (key !== this.lastPlain) this.sink.write(`${line}\n`);
      this.lastPlain = key;
      return;
    }
    this.draw(fresh);
    const tickMs = this.options.tickMs ?? 1000;
    if (this.timer === null && tickMs > 0) {
      this.timer = setInterval(() => this.draw([]), tickMs);
      this.timer.unref();
    }
  }

  /** Stop redrawing; the last panel stays on screen. */
  finish(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.options.mode === 'tty' && this.last !== null) this.draw([]);
  }

  private draw(events: readonly string[]): void {
    if (this.last === null) return;
    const width = this.options.columns();
    const panel = rolloutPanel(this.last, width, this.options.now());
    let text = this.drawnLines > 0 ? up(this.drawnLines) : '';
    for (const line of events) text += `${line}\n`;
    for (const line of panel) text += `${line}\n`;
    this.sink.write(text);
    this.drawnLines = panel.length;
  }
}
