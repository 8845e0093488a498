import { ConcurrentAppendError, WrongExpectedRevisionError } from '../errors';
import { retryConcurrent, translateAppendError } from './pg-append';

describe('append error translation', () => {
  it('turns ES001 into WrongExpectedRevisionError naming stream, expected and actual', () => {
    const detail = JSON.stringify({ streamId: 's-1', expectedKind: 'exact', expectedRevision: '3', actual: '5' });
    const error = translateAppendError({ code: 'ES001', detail });
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: 's-1', expected: 3n, actual: 5n, retryable: true });
    expect(translateAppendError({ code: 'ES001', detail: JSON.stringify({ streamId: 's', expectedKind: 'no_stream', expectedRevision: null, actual: '0' }) })).toMatchObject({ expected: 'no_stream', actual: 0n });
  });

  it.each([
    ['ES002', undefined, 'transaction_order'],
    ['23505', 'events_event_id_key', 'event_id_race'],
    ['40P01', undefined, 'deadlock'],
    ['40001', undefined, 'serialization'],
  ])('turns SQLSTATE %s (%s) into a retryable ConcurrentAppendError', (code, constraint, reason) => {
    expect(translateAppendError({ code, constraint }, 's')).toMatchObject({ code: 'CONCURRENT_APPEND', reason, retryable: true, streamId: 's' });
  });

  it('passes other errors through untouched', () => {
    const other = { code: '23505', constraint: 'something_else' };
    expect(translateAppendError(other)).toBe(other);
  });

  it('retries only concurrent-append conflicts, a bounded number of times', async () => {
    let calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject(new ConcurrentAppendError('s', 'deadlock', 'x')) : Promise.resolve('ok'));
    await expect(retryConcurrent(flaky)).resolves.toBe('ok');
    calls = 0;
    await expect(retryConcurrent(() => (++calls, Promise.reject(new ConcurrentAppendError('s', 'deadlock', 'x'))), 2)).rejects.toBeInstanceOf(ConcurrentAppendError);
    expect(calls).toBe(2);
    const wrong = new WrongExpectedRevisionError('s', 1n, 2n);
    await expect(retryConcurrent(() => Promise.reject(wrong))).rejects.toBe(wrong);
  });
});
