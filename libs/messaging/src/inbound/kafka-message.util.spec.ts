import { decodeHeaders, toInboundMessage } from './kafka-message.util';

describe('toInboundMessage', () => {
  it('given a kafkajs message with buffers, when converted, then key, value and headers are strings', () => {
    const message = toInboundMessage('subsidiary.life.events', 3, {
      key: Buffer.from('k-1'),
      value: Buffer.from('{"a":1}'),
      headers: { 'x-one': Buffer.from('1'), 'x-two': 'two', 'x-repeated': [Buffer.from('first'), 'last'], 'x-none': undefined },
      offset: '42',
      timestamp: '1767225600000',
      attributes: 0,
    });
    expect(message).toEqual({
      topic: 'subsidiary.life.events',
      partition: 3,
      offset: '42',
      key: 'k-1',
      value: '{"a":1}',
      headers: { 'x-one': '1', 'x-two': 'two', 'x-repeated': 'last' },
      timestamp: '1767225600000',
    });
  });

  it('given a tombstone without key, when converted, then the value is empty (and will be dead-lettered as invalid JSON)', () => {
    const message = toInboundMessage('t', 0, { key: null, value: null, offset: '1', timestamp: '0', attributes: 0, headers: {} });
    expect(message.key).toBeNull();
    expect(message.value).toBe('');
    expect(decodeHeaders(undefined)).toEqual({});
  });
});
