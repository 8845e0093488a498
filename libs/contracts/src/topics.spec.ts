import { allTopics, DECISIONS_TOPIC, dlqTopic, eventsTopic, inboundTopic, SUBSIDIARIES } from '@lib/contracts';

describe('topic names (ARCHITECTURE.md public contract)', () => {
  it.each(SUBSIDIARIES.map((s) => [s]))('given %s, then its topics are subsidiary.<sub>.events / .inbound', (sub) => {
    expect(eventsTopic(sub)).toBe(`subsidiary.${sub}.events`);
    expect(inboundTopic(sub)).toBe(`subsidiary.${sub}.inbound`);
  });

  it('then decisions and dead-letter names follow the contract', () => {
    expect(DECISIONS_TOPIC).toBe('coordination.decisions');
    expect(dlqTopic('subsidiary.pnc.events')).toBe('subsidiary.pnc.events.dlq');
  });

  it('then allTopics lists the 7 topics and their 7 DLQs once each', () => {
    const topics = allTopics();
    expect(new Set(topics).size).toBe(14);
    expect(topics).toContain('subsidiary.life.inbound.dlq');
    expect(topics).toContain('coordination.decisions.dlq');
  });
});
