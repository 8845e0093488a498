import { comparePositions, followingOffset } from './log-position';

describe('comparePositions', () => {
  it.each([
    ['Kafka offsets compare numerically, not as text', { txId: null, offset: '9' }, { txId: null, offset: '10' }, -1],
    ['equal Kafka offsets', { txId: null, offset: '10' }, { txId: null, offset: '10' }, 0],
    ['an outbox row of a later transaction comes after a higher id of an earlier one', { txId: '900', offset: '5' }, { txId: '800', offset: '6' }, 1],
    ['within one transaction the id decides', { txId: '800', offset: '7' }, { txId: '800', offset: '6' }, 1],
    ['64-bit values beyond Number precision', { txId: '9007199254740993', offset: '1' }, { txId: '9007199254740992', offset: '1' }, 1],
  ])('%s', (_name, a, b, expected) => {
    expect(Math.sign(comparePositions(a, b))).toBe(expected);
  });
});

describe('followingOffset', () => {
  it('adds one without losing precision', () => {
    expect(followingOffset('9007199254740993')).toBe('9007199254740994');
  });
});
