import { loadCoordinationConfig } from './config';

const base = { DATABASE_URL: 'postgres://localhost/x', NODE_ENV: 'test' };

describe('coordination config: consumer group', () => {
  it('given no KAFKA_GROUP_ID, when a topic prefix is set, then the group carries the prefix', () => {
    expect(loadCoordinationConfig({ ...base, TOPIC_PREFIX: 'staging.' }).KAFKA_GROUP_ID).toBe('staging.coordination');
  });

  it('given neither, then the group is coordination', () => {
    expect(loadCoordinationConfig(base).KAFKA_GROUP_ID).toBe('coordination');
  });

  it('given an explicit KAFKA_GROUP_ID, then it is used as is', () => {
    expect(loadCoordinationConfig({ ...base, TOPIC_PREFIX: 'staging.', KAFKA_GROUP_ID: 'xsell-a' }).KAFKA_GROUP_ID).toBe('xsell-a');
  });
});

describe('coordination config: messages per transaction', () => {
  it('given nothing, then a fetched batch goes in transactions of 50 messages at most', () => {
    expect(loadCoordinationConfig(base).INBOUND_TRANSACTION_MESSAGES).toBe(50);
  });

  it('given a value, then it is used; given 0 or a non-number, then the configuration is refused naming the variable', () => {
    expect(loadCoordinationConfig({ ...base, INBOUND_TRANSACTION_MESSAGES: '500' }).INBOUND_TRANSACTION_MESSAGES).toBe(500);
    expect(() => loadCoordinationConfig({ ...base, INBOUND_TRANSACTION_MESSAGES: '0' })).toThrow(/INBOUND_TRANSACTION_MESSAGES/);
    expect(() => loadCoordinationConfig({ ...base, INBOUND_TRANSACTION_MESSAGES: 'many' })).toThrow(/INBOUND_TRANSACTION_MESSAGES/);
  });
});

describe('coordination config: Kafka fetches', () => {
  it('given nothing, then a fetch waits for 16 KiB or 25 ms, whichever comes first', () => {
    const config = loadCoordinationConfig(base);
    expect([config.INBOUND_FETCH_MIN_BYTES, config.INBOUND_FETCH_MAX_WAIT_MS]).toEqual([16_384, 25]);
  });

  it('given values, then they are used; given 0, a wait over 5 s or a non-number, then the configuration is refused naming the variable', () => {
    const config = loadCoordinationConfig({ ...base, INBOUND_FETCH_MIN_BYTES: '1', INBOUND_FETCH_MAX_WAIT_MS: '100' });
    expect([config.INBOUND_FETCH_MIN_BYTES, config.INBOUND_FETCH_MAX_WAIT_MS]).toEqual([1, 100]);
    expect(() => loadCoordinationConfig({ ...base, INBOUND_FETCH_MIN_BYTES: '0' })).toThrow(/INBOUND_FETCH_MIN_BYTES/);
    expect(() => loadCoordinationConfig({ ...base, INBOUND_FETCH_MAX_WAIT_MS: '6000' })).toThrow(/INBOUND_FETCH_MAX_WAIT_MS/);
    expect(() => loadCoordinationConfig({ ...base, INBOUND_FETCH_MAX_WAIT_MS: 'soon' })).toThrow(/INBOUND_FETCH_MAX_WAIT_MS/);
  });
});
