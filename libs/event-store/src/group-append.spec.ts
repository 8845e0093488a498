import type { AppendResult, NewEvent, StreamAppend } from './event-store.port';
import { GroupAppender } from './group-append';

const event = (id: string): NewEvent => ({ eventId: id, type: 'Read', data: {} });
const result = (streamId: string): AppendResult => ({ streamId, nextExpectedRevision: 0n, positions: [] });

/** A store whose calls the test settles by hand, recording what each call carried. */
class HeldStore {
  readonly calls: Array<{ kind: 'append' | 'appendMany'; streams: string[]; settle: (error?: Error) => void }> = [];
  failStream: string | null = null;

  append(streamId: string): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.calls.push({ kind: 'append', streams: [streamId], settle: (e) => (e ? reject(e) : resolve(result(streamId))) });
    });
  }

  appendMany(batch: StreamAppend[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.calls.push({ kind: 'appendMany', streams: batch.map((b) => b.streamId), settle: (e) => (e ? reject(e) : resolve(batch.map((b) => result(b.streamId)))) });
    });
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupAppender', () => {
  it('given an idle appender, when one append arrives, then it goes at once on its own', async () => {
    const store = new HeldStore();
    const appender = new GroupAppender(store);
    const done = appender.append('s-1', [event('e1')]);
    await tick();
    expect(store.calls.map((c) => [c.kind, c.streams])).toEqual([['append', ['s-1']]]);
    store.calls[0].settle();
    await expect(done).resolves.toMatchObject({ streamId: 's-1' });
  });

  it('given a group in flight, when more appends arrive, then they wait and all go in the next transaction, unsettled until it commits', async () => {
    const store = new HeldStore();
    const appender = new GroupAppender(store);
    const first = appender.append('s-1', [event('e1')]);
    const settled: string[] = [];
    const later = ['s-2', 's-3', 's-2'].map((s, i) => appender.append(s, [event(`e${i + 2}`)]).then((r) => settled.push(r.streamId)));
    await tick();
    expect(store.calls).toHaveLength(1);
    store.calls[0].settle();
    await first;
    await tick();
    expect(store.calls.map((c) => [c.kind, c.streams])).toEqual([['append', ['s-1']], ['appendMany', ['s-2', 's-3', 's-2']]]);
    expect(settled).toEqual([]);
    store.calls[1].settle();
    await Promise.all(later);
    expect(settled).toEqual(['s-2', 's-3', 's-2']);
  });

  it('given a group that fails, then each of its appends is tried alone and fails or succeeds on its own', async () => {
    const store = new HeldStore();
    const appender = new GroupAppender(store);
    const first = appender.append('s-0', [event('e0')]);
    const a = appender.append('s-1', [event('e1')]);
    const b = appender.append('s-bad', [event('e2')]);
    await tick();
    store.calls[0].settle();
    await first;
    await tick();
    store.calls[1].settle(new Error('group failed'));
    await tick();
    expect(store.calls.slice(2).map((c) => [c.kind, c.streams])).toEqual([['append', ['s-1']], ['append', ['s-bad']]]);
    store.calls[2].settle();
    store.calls[3].settle(new Error('bad append'));
    await expect(a).resolves.toMatchObject({ streamId: 's-1' });
    await expect(b).rejects.toThrow('bad append');
  });

  it('given more waiting than a group holds, then they go in several groups, in arrival order', async () => {
    const store = new HeldStore();
    const appender = new GroupAppender(store, { maxGroup: 2 });
    const all = ['s-0', 's-1', 's-2', 's-3', 's-4'].map((s, i) => appender.append(s, [event(`e${i}`)]));
    for (let i = 0; i < 3; i++) {
      await tick();
      store.calls[i].settle();
    }
    await Promise.all(all);
    expect(store.calls.map((c) => c.streams)).toEqual([['s-0'], ['s-1', 's-2'], ['s-3', 's-4']]);
  });
});
