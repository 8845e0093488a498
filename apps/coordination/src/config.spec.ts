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
