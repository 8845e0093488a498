/**
 * A one-line progress bar on stderr (`\r`, no dependency): requests done of total,
 * rate, ETA, wave, and the retry/problem counters that say whether all is well.
 */
import type { RunProgress } from './client';

export interface ProgressLine extends RunProgress {
  elapsedMs: number;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '--:--';
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function renderProgress(p: ProgressLine, width = 28): string {
  const ratio = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const filled = Math.round(ratio * width);
  const rate = p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
  const eta = rate > 0 ? ((p.total - p.done) / rate) * 1000 : Infinity;
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const counts = `${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}`;
  const flags = `retries ${p.retries} | 4xx ${p.problems} | failed ${p.failures}`;
  return `[${bar}] ${counts} ${(ratio * 100).toFixed(1)}% | ${rate.toFixed(0)} req/s | ETA ${duration(eta)} | wave ${p.wave}/${p.waves} | ${flags}`;
}

export interface ProgressBar {
  update(progress: RunProgress): void;
  finish(): void;
}

/** Redraws at most every `intervalMs`; on a non-TTY stream it prints a plain line every `lineEveryMs` instead. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, intervalMs = 200, lineEveryMs = 10_000): ProgressBar {
  const started = Date.now();
  let last = 0;
  let latest: RunProgress | null = null;
  const draw = (final: boolean) => {
    if (!latest) return;
    const line = renderProgress({ ...latest, elapsedMs: Date.now() - started });
    if (stream.isTTY) stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
  return {
    update(progress) {
      latest = progress;
      const now = Date.now();
      if (now - last >= (stream.isTTY ? intervalMs : lineEveryMs)) {
        last = now;
        draw(false);
      }
    },
    finish() {
      draw(true);
    },
  };
}
