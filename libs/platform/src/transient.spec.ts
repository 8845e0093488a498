import { toProblem } from './errors';
import { isTransientDatabaseError } from './transient';

describe('isTransientDatabaseError', () => {
  it.each([
    ['a terminated backend (57P01)', { code: '57P01', message: 'terminating connection due to administrator command' }],
    ['a connection exception class 08', { code: '08006', message: 'connection failure' }],
    ['a serialization failure', { code: '40001', message: 'could not serialize access' }],
    ['a deadlock', { code: '40P01', message: 'deadlock detected' }],
    ['too many connections', { code: '53300', message: 'sorry, too many clients already' }],
    ['a refused socket', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    ['an ended connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a released query runner', Object.assign(new Error('Query runner already released'), { name: 'QueryRunnerAlreadyReleasedError' })],
    ['a TypeORM wrapper around a transient driver error', { name: 'QueryFailedError', message: 'x', driverError: { code: '57P01' } }],
  ])('recognises %s', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(toProblem(error)).toMatchObject({ status: 503, code: 'TEMPORARILY_UNAVAILABLE', retryAfter: 1 });
  });

  it.each([
    ['a unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }],
    ['a division by zero', { code: '22012', message: 'division by zero' }],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['nothing', undefined],
  ])('does not treat %s as transient', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
    expect(toProblem(error).status).toBe(500);
  });
});
