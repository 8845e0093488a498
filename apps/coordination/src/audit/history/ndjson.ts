import type { Writable } from 'node:stream';

/** Resolves when the writable drains or closes (a client that went away must not leave us waiting). */
export function drainedOrClosed(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Writes each page as newline-delimited JSON as soon as it is read, and reads the next
 * page only once the socket has taken the last one (write() returning false means the
 * buffer is full: wait for 'drain'). Memory stays at one page whatever the log's size.
 * Answers how many lines were written; stops early when the client disconnects.
 */
export async function writeNdjson<T>(out: Writable, pages: AsyncIterable<T[]>, toJson: (item: T) => unknown): Promise<number> {
  let lines = 0;
  for await (const page of pages) {
    if (out.destroyed || out.writableEnded) break;
    const chunk = page.map((item) => `${JSON.stringify(toJson(item))}\n`).join('');
    lines += page.length;
    if (!out.write(chunk)) await drainedOrClosed(out);
  }
  return lines;
}
