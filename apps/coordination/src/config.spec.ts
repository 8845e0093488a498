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
