import { facts, quote } from '../testing/fixtures';
import { DEFAULT_DETECTION_CONFIG, RecentQuote } from './facts';
import { detectChannelQuoteClash } from './channel-quote-clash.rule';

const brokerQuote = quote({ channel: 'BROKER', agentId: 'G-BRK-1', quotedAt: '2026-03-01T10:00:00Z', price: '1200000.00' });
const directQuote = quote({ channel: 'DIRECT', agentId: 'G-3001', quotedAt: '2026-03-20T10:00:00Z', price: '1080000.50' });
const detect = (newQuote: RecentQuote, quotes: RecentQuote[]) =>
  detectChannelQuoteClash({ kind: 'quote', quote: newQuote }, facts({ quotes }), DEFAULT_DETECTION_CONFIG);

describe('rule: channel-quote-clash', () => {
  it('given a broker quote, when the direct channel of the same subsidiary quotes the same client within 30 days, then a clash with both prices', () => {
    const [conflict] = detect(directQuote, [brokerQuote]);
    expect(conflict).toMatchObject({ kind: 'channel-quote-clash', productLine: 'GROUP_HEALTH' });
    expect(conflict.claimants).toEqual([
      { subsidiary: 'group', channel: 'BROKER', agentId: 'G-BRK-1', price: '1200000.00' },
      { subsidiary: 'group', channel: 'DIRECT', agentId: 'G-3001', price: '1080000.50' },
    ]);
    expect(conflict.evidence).toMatchObject({ lowestPrice: '1080000.50', highestPrice: '1200000.00', priceSpread: '119999.50' });
  });

  it('given quotes without prices, when they clash, then the conflict carries no price evidence', () => {
    const [conflict] = detect({ ...directQuote, price: undefined }, [{ ...brokerQuote, price: undefined }]);
    expect(conflict.evidence.priceSpread).toBeUndefined();
  });

  it('given a broker quote 31 days earlier, when direct quotes, then no clash', () => {
    expect(detect({ ...directQuote, quotedAt: '2026-04-01T10:00:01Z' }, [brokerQuote])).toEqual([]);
  });

  it('given a quote from another subsidiary, an intermediary of the same class, or an unknown channel, when direct... then no clash', () => {
    expect(detect(directQuote, [{ ...brokerQuote, subsidiary: 'pnc' }])).toEqual([]);
    expect(detect({ ...directQuote, channel: 'AGENCY' }, [brokerQuote])).toEqual([]);
    expect(detect(directQuote, [{ ...brokerQuote, channel: 'MYSTERY' }])).toEqual([]);
  });
});
