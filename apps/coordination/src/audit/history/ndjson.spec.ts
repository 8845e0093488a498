import { Writable } from 'node:stream';
import { writeNdjson } from './ndjson';

/** A slow consumer with a tiny buffer: it takes a chunk only when the test lets it. */
function slowSink(highWaterMark: number) {
  const received: string[] = [];
  const pending: Array<() => void> = [];
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, callback) {
      received.push(chunk.toString());
      pending.push(callback);
    },
  });
  const release = () => pending.splice(0).forEach((cb) => cb());
  return { sink, received, release };
}

describe('NDJSON export', () => {
  it('given pages of events, then each becomes one JSON line, in order', async () => {
    const { sink, received, release } = slowSink(1 << 20);
    async function* pages() {
      yield [{ n: 1 }, { n: 2 }];
      yield [{ n: 3 }];
    }
    const writing = writeNdjson(sink, pages(), (x) => x);
    const timer = setInterval(release, 1);
    const lines = await writing;
    await new Promise((resolve) => sink.end(resolve));
    clearInterval(timer);
    expect(lines).toBe(3);
    expect(received.join('')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('given a consumer that has not taken the last page, then the next page is not read yet (backpressure)', async () => {
    const { sink, release } = slowSink(8);
    let pagesRead = 0;
    async function* pages() {
      for (let i = 0; i < 3; i++) {
        pagesRead += 1;
        yield [{ page: i, padding: 'x'.repeat(32) }];
      }
    }
    const writing = writeNdjson(sink, pages(), (x) => x);
    await new Promise((r) => setImmediate(r));
    expect(pagesRead).toBe(1);
    const timer = setInterval(release, 1);
    await writing;
    clearInterval(timer);
    expect(pagesRead).toBe(3);
  });

  it('given a client that disconnects, then no further page is read', async () => {
    const { sink } = slowSink(8);
    let pagesRead = 0;
    async function* pages() {
      for (let i = 0; i < 100; i++) {
        pagesRead += 1;
        yield [{ padding: 'x'.repeat(64) }];
      }
    }
    const writing = writeNdjson(sink, pages(), (x) => x);
    await new Promise((r) => setImmediate(r));
    sink.destroy();
    await writing;
    expect(pagesRead).toBeLessThanOrEqual(2);
  });
});
