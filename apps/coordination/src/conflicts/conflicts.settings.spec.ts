import { conflictsSettings } from './conflicts.settings';

describe('conflictsSettings', () => {
  it('given nothing configured, when read, then a 72-hour SLA and the plain decisions topic', () => {
    expect(conflictsSettings({}, {})).toMatchObject({ slaHours: 72, decisionsTopic: 'coordination.decisions', expiryIntervalMs: 60_000 });
  });

  it('given the app config and the environment, when read, then the app config wins and the topic carries the prefix', () => {
    const settings = conflictsSettings({ CONFLICT_SLA_HOURS: '24', TOPIC_PREFIX: 'stage.' }, { CONFLICT_SLA_HOURS: '48' });
    expect(settings).toMatchObject({ slaHours: 24, decisionsTopic: 'stage.coordination.decisions' });
  });

  it('given a zero SLA, when read, then the boot fails naming the variable', () => {
    expect(() => conflictsSettings({}, { CONFLICT_SLA_HOURS: '0' })).toThrow(/CONFLICT_SLA_HOURS/);
  });
});
