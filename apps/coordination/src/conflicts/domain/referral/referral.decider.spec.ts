import { createReferralDecider, lossRefusedButNoted, referralDecider } from './referral.decider';
import { deciderSpec, fold } from '../testing/decider-spec';
import { ReferralEvent, Referral, referralStreamId } from './referral.types';

const spec = deciderSpec(referralDecider);

const registered = (over: Partial<Referral> = {}): ReferralEvent => ({
  type: 'ReferralRegistered',
  data: {
    referralId: 'R-1',
    partyId: 'P-1',
    productLine: 'MOTOR',
    productSubsidiary: 'pnc',
    referrer: { agentId: 'A-1001', subsidiary: 'life', channel: 'AGENCY' },
    registeredAt: '2026-03-01T09:00:00Z',
    windowEndsAt: '2026-03-31T09:00:00Z',
    ...over,
  },
});
const acceptData = { referralId: 'R-1', acceptedBy: 'P-2001', acceptedAt: '2026-03-02T09:00:00Z' };
const quoteData = { referralId: 'R-1', price: '3200.00', currency: 'CNY', quotedAt: '2026-03-03T09:00:00Z' };
const accepted: ReferralEvent = { type: 'ReferralAccepted', data: acceptData };
const quoted: ReferralEvent = { type: 'ReferralQuoted', data: quoteData };
const accept = { type: 'AcceptReferral' as const, data: acceptData };
const quote = (price: string) => ({ type: 'QuoteReferral' as const, data: { ...quoteData, price } });
const convert = (issuedAt: string, over: { partyId?: string; productLine?: string } = {}) => ({
  type: 'ConvertReferral' as const,
  data: { referralId: 'R-1', policyNo: 'PP-1', partyId: 'P-1', productLine: 'MOTOR', issuedAt, linkedBy: 'referralId' as const, ...over },
});
const markLost = (lostAt: string, reason = 'client declined') =>
  ({ type: 'MarkReferralLost' as const, data: { referralId: 'R-1', reason, lostAt, recordedAt: '2026-04-10T00:00:00Z' } });
const expire = (now: string) => ({ type: 'ExpireReferral' as const, data: { referralId: 'R-1', now } });

describe('referral decider', () => {
  it('names its stream referral-<id>', () => {
    expect(referralStreamId('R-1')).toBe('referral-R-1');
  });

  describe('register', () => {
    const { data } = registered();
    const { windowEndsAt: _ignored, ...command } = data as Referral;
    it.each([
      ['MOTOR', '2026-03-31T09:00:00.000Z'],
      ['GROUP_HEALTH', '2026-05-30T09:00:00.000Z'],
      ['WHOLE_LIFE', '2026-04-30T09:00:00.000Z'],
    ])('given nothing, when a %s referral is registered, then its window ends at %s', (productLine, windowEndsAt) => {
      spec.given([]).when({ type: 'RegisterReferral', data: { ...command, productLine } }).then([
        { type: 'ReferralRegistered', data: { ...command, productLine, windowEndsAt } },
      ]);
    });

    it('given configured windows, when registered, then the configured length applies', () => {
      const decider = createReferralDecider({ defaultDays: 10, byProductLine: {} });
      const [event] = decider.decide({ type: 'RegisterReferral', data: command }, decider.initialState());
      expect(event).toMatchObject({ data: { windowEndsAt: '2026-03-11T09:00:00.000Z' } });
    });

    it('given a registered referral, when registered again, then REFERRAL_ALREADY_REGISTERED', () => {
      spec.given([registered()]).when({ type: 'RegisterReferral', data: command }).thenThrows('REFERRAL_ALREADY_REGISTERED');
    });

    it('given a timestamp without offset, when registered, then INVALID_TIMESTAMP', () => {
      spec.given([]).when({ type: 'RegisterReferral', data: { ...command, registeredAt: '2026-03-01 09:00' } }).thenThrows('INVALID_TIMESTAMP');
    });
  });

  describe('happy path', () => {
    it('given registered, when the product side accepts, then ReferralAccepted', () => {
      spec.given([registered()]).when(accept).then([accepted]);
    });

    it('given accepted, when quoted with a decimal price, then the price is kept as a 2-place string', () => {
      spec.given([registered(), accepted])
        .when(quote('3200'))
        .then([quoted]);
    });

    it('given quoted, when a policy is issued inside the window, then ReferralConverted and the state is converted', () => {
      spec.given([registered(), accepted, quoted]).when(convert('2026-03-20T00:00:00Z')).then([
        { type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-1', convertedAt: '2026-03-20T00:00:00Z', linkedBy: 'referralId' } },
      ]);
      const history = [registered(), accepted, quoted];
      const events = referralDecider.decide(convert('2026-03-20T00:00:00Z'), fold(referralDecider, history));
      expect(fold(referralDecider, [...history, ...events])).toMatchObject({ status: 'converted', policyNo: 'PP-1', quote: { price: '3200.00' } });
    });

    it('given converted with PP-1, when the same PolicyIssued is redelivered, then nothing is appended', () => {
      const converted: ReferralEvent = { type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-1', convertedAt: '2026-03-20T00:00:00Z', linkedBy: 'referralId' } };
      spec.given([registered(), converted]).when(convert('2026-03-20T00:00:00Z')).then([]);
    });

    it('given registered, when marked lost with a reason, then ReferralLost', () => {
      const data = { referralId: 'R-1', reason: 'client chose a competitor', lostAt: '2026-03-04T00:00:00Z' };
      spec.given([registered()]).when(markLost(data.lostAt, data.reason)).then([{ type: 'ReferralLost', data }]);
    });
  });

  describe('illegal transitions', () => {
    it('given nothing, when accepted, then REFERRAL_NOT_FOUND', () => {
      spec.given([]).when(accept).thenThrows('REFERRAL_NOT_FOUND');
    });
    it('given registered (not accepted), when quoted, then REFERRAL_ILLEGAL_TRANSITION', () => {
      spec.given([registered()]).when(quote('3200.00')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });
    it('given accepted, when accepted again, then REFERRAL_ILLEGAL_TRANSITION', () => {
      spec.given([registered(), accepted]).when(accept).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });
    it('given lost, when converted, then REFERRAL_ILLEGAL_TRANSITION', () => {
      const lost: ReferralEvent = { type: 'ReferralLost', data: { referralId: 'R-1', reason: 'no', lostAt: '2026-03-04T00:00:00Z' } };
      spec.given([registered(), lost]).when(convert('2026-03-05T00:00:00Z')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });
    it('given expired, when marked lost after the expiry check, then REFERRAL_ILLEGAL_TRANSITION', () => {
      const expired: ReferralEvent = { type: 'ReferralExpired', data: { referralId: 'R-1', windowEndsAt: '2026-03-31T09:00:00Z', expiredAt: '2026-04-01T00:00:00Z' } };
      spec.given([registered(), expired]).when(markLost('2026-04-02T00:00:00Z', 'x')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });
    it('given accepted, when quoted at zero or with 3 decimals, then REFERRAL_INVALID_PRICE', () => {
      for (const price of ['0', '12.345', 'abc']) {
        spec.given([registered(), accepted]).when(quote(price)).thenThrows('REFERRAL_INVALID_PRICE');
      }
    });
    it('given registered, when a policy for another product line converts it, then REFERRAL_POLICY_MISMATCH', () => {
      spec.given([registered()]).when(convert('2026-03-05T00:00:00Z', { productLine: 'HOME' })).thenThrows('REFERRAL_POLICY_MISMATCH');
    });
    it('given registered, when the policy was issued after the window, then REFERRAL_OUTSIDE_WINDOW', () => {
      spec.given([registered()]).when(convert('2026-03-31T09:00:00Z')).thenThrows('REFERRAL_OUTSIDE_WINDOW');
    });
    it('given registered, when marked lost without a reason, then REFERRAL_REASON_REQUIRED', () => {
      spec.given([registered()]).when(markLost('2026-03-04T00:00:00Z', '  ')).thenThrows('REFERRAL_REASON_REQUIRED');
    });
  });

  describe('expiry on an injected clock', () => {
    it('given an open referral, when the check runs one millisecond before the window ends, then REFERRAL_WINDOW_NOT_ENDED', () => {
      spec.given([registered(), accepted]).when(expire('2026-03-31T08:59:59.999Z')).thenThrows('REFERRAL_WINDOW_NOT_ENDED');
    });
    it('given an open referral, when the check runs at the window end, then ReferralExpired', () => {
      spec.given([registered(), accepted]).when(expire('2026-03-31T09:00:00Z')).then([
        { type: 'ReferralExpired', data: { referralId: 'R-1', windowEndsAt: '2026-03-31T09:00:00Z', expiredAt: '2026-03-31T09:00:00Z' } },
      ]);
    });
    it('given expired, when the check fires again, then nothing is appended', () => {
      const expired: ReferralEvent = { type: 'ReferralExpired', data: { referralId: 'R-1', windowEndsAt: '2026-03-31T09:00:00Z', expiredAt: '2026-04-01T00:00:00Z' } };
      spec.given([registered(), expired]).when(expire('2026-04-02T00:00:00Z')).then([]);
    });
    it('given converted, when the check runs after the window, then REFERRAL_ILLEGAL_TRANSITION', () => {
      const converted: ReferralEvent = { type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-1', convertedAt: '2026-03-20T00:00:00Z', linkedBy: 'referralId' } };
      spec.given([registered(), converted]).when(expire('2026-04-02T00:00:00Z')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });
  });

  describe('a sale issued before the referral closed, arriving after the close (business time)', () => {
    const lost: ReferralEvent = { type: 'ReferralLost', data: { referralId: 'R-1', reason: 'no', lostAt: '2026-03-10T00:00:00Z' } };
    const expired: ReferralEvent = { type: 'ReferralExpired', data: { referralId: 'R-1', windowEndsAt: '2026-03-31T09:00:00Z', expiredAt: '2026-04-01T00:00:00Z' } };
    const byLine = (issuedAt: string) => ({ ...convert(issuedAt), data: { ...convert(issuedAt).data, linkedBy: 'party-and-line' as const } });
    const withdraw = { type: 'WithdrawConversion' as const, data: { referralId: 'R-1', policyNo: 'PP-1', reason: 'earlier registration', withdrawnAt: '2026-04-02T00:00:00Z' } };

    it('given lost on 10 March, when a sale issued on 5 March converts it, then it converts from lost; withdrawn, it is lost again at its loss time', () => {
      spec.given([registered(), lost]).when(byLine('2026-03-05T00:00:00Z')).then([
        { type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-1', convertedAt: '2026-03-05T00:00:00Z', linkedBy: 'party-and-line' } },
      ]);
      const history = [registered(), lost, ...referralDecider.decide(byLine('2026-03-05T00:00:00Z'), fold(referralDecider, [registered(), lost]))];
      expect(fold(referralDecider, history)).toMatchObject({ status: 'converted', convertedFrom: 'lost', lostAt: '2026-03-10T00:00:00Z' });
      const events = referralDecider.decide(withdraw, fold(referralDecider, history));
      expect(events).toEqual([{ type: 'ReferralConversionWithdrawn', data: { ...withdraw.data, reopenedAs: 'lost', closedAt: '2026-03-10T00:00:00Z' } }]);
      expect(fold(referralDecider, [...history, ...events])).toMatchObject({ status: 'lost', closedAt: '2026-03-10T00:00:00Z' });
    });

    it('given lost on 10 March, when a sale issued at or after the loss converts it, then REFERRAL_ILLEGAL_TRANSITION', () => {
      spec.given([registered(), lost]).when(byLine('2026-03-10T00:00:00Z')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });

    it('given expired, when a sale issued inside the window converts it, then it converts from expired; withdrawn, it is expired again', () => {
      spec.given([registered(), expired]).when(byLine('2026-03-30T00:00:00Z')).then([
        { type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-1', convertedAt: '2026-03-30T00:00:00Z', linkedBy: 'party-and-line' } },
      ]);
      const history = [registered(), expired, ...referralDecider.decide(byLine('2026-03-30T00:00:00Z'), fold(referralDecider, [registered(), expired]))];
      const events = referralDecider.decide(withdraw, fold(referralDecider, history));
      expect(fold(referralDecider, [...history, ...events])).toMatchObject({ status: 'expired', closedAt: '2026-04-01T00:00:00Z' });
    });

    it('given expired, when a sale issued after the window converts it, then REFERRAL_OUTSIDE_WINDOW', () => {
      spec.given([registered(), expired]).when(byLine('2026-03-31T09:00:00Z')).thenThrows('REFERRAL_OUTSIDE_WINDOW');
    });
  });

  describe('a conversion withdrawn (an earlier-filed registration arrived after the sale)', () => {
    const byLine: ReferralEvent = { type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-1', convertedAt: '2026-03-05T10:00:00Z', linkedBy: 'party-and-line' } };
    const withdraw = (policyNo = 'PP-1') =>
      ({ type: 'WithdrawConversion' as const, data: { referralId: 'R-1', policyNo, reason: 'an earlier registration arrived late', withdrawnAt: '2026-03-06T10:00:00Z' } });

    it('given a quoted referral converted by party and line, when withdrawn, then it reopens as quoted without the policy', () => {
      spec.given([registered(), accepted, quoted, byLine]).when(withdraw()).then([
        { type: 'ReferralConversionWithdrawn', data: { ...withdraw().data, reopenedAs: 'quoted' } },
      ]);
      const state = fold(referralDecider, [registered(), accepted, quoted, byLine, { type: 'ReferralConversionWithdrawn', data: { ...withdraw().data, reopenedAs: 'quoted' } }]);
      expect(state).toMatchObject({ status: 'quoted' });
      expect(state).not.toHaveProperty('policyNo');
      expect(state).not.toHaveProperty('closedAt');
    });

    it('given a withdrawn conversion, when it is converted by another sale, then that conversion is recorded', () => {
      const withdrawn: ReferralEvent = { type: 'ReferralConversionWithdrawn', data: { ...withdraw().data, reopenedAs: 'registered' } };
      spec.given([registered(), byLine, withdrawn]).when({ ...convert('2026-03-09T10:00:00Z'), data: { ...convert('2026-03-09T10:00:00Z').data, policyNo: 'PP-2' } })
        .then([{ type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-2', convertedAt: '2026-03-09T10:00:00Z', linkedBy: 'referralId' } }]);
    });

    it('given no conversion by that policy (redelivered, or converted by another sale since), when withdrawn, then nothing happens', () => {
      spec.given([registered()]).when(withdraw()).then([]);
      spec.given([registered(), byLine]).when(withdraw('PP-9')).then([]);
    });

    it('given a conversion the sale named, when withdrawn, then it is refused: that link is the sale\'s own', () => {
      const named: ReferralEvent = { ...byLine, data: { ...byLine.data, linkedBy: 'referralId' } } as ReferralEvent;
      spec.given([registered(), named]).when(withdraw()).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });
  });

  describe('a loss reported while a sale converts the referral (business time)', () => {
    const converted = (linkedBy: 'referralId' | 'party-and-line', policyNo = 'PP-1'): ReferralEvent =>
      ({ type: 'ReferralConverted', data: { referralId: 'R-1', policyNo, convertedAt: '2026-03-05T10:00:00Z', linkedBy } });
    const lostData = (lostAt: string) => ({ referralId: 'R-1', reason: 'client declined', lostAt });
    const withdrawnBy = (reopenedAs: 'registered' | 'quoted' | 'lost' | 'expired', closedAt?: string): ReferralEvent => ({
      type: 'ReferralConversionWithdrawn',
      data: {
        referralId: 'R-1', policyNo: 'PP-1', withdrawnAt: '2026-04-10T00:00:00Z', reopenedAs, ...(closedAt ? { closedAt } : {}),
        reason: 'the lead was lost before the sale was issued: the sale converts the one business order gives it',
      },
    });

    it('given a quoted referral converted by a sale naming none, when it is lost before the sale, then the conversion is withdrawn and it is lost', () => {
      spec.given([registered(), accepted, quoted, converted('party-and-line')]).when(markLost('2026-03-04T00:00:00Z')).then([
        withdrawnBy('quoted'), { type: 'ReferralLost', data: lostData('2026-03-04T00:00:00Z') },
      ]);
      const history = [registered(), accepted, quoted, converted('party-and-line')];
      const state = fold(referralDecider, [...history, ...referralDecider.decide(markLost('2026-03-04T00:00:00Z'), fold(referralDecider, history))]);
      expect(state).toMatchObject({ status: 'lost', lostAt: '2026-03-04T00:00:00Z', closedAt: '2026-03-04T00:00:00Z' });
      expect(state).not.toHaveProperty('policyNo');
    });

    it('given a conversion by a sale naming none, when lost at the sale\'s issue time, then the loss wins as a sale at the loss time does not convert', () => {
      spec.given([registered(), converted('party-and-line')]).when(markLost('2026-03-05T10:00:00Z')).then([
        withdrawnBy('registered'), { type: 'ReferralLost', data: lostData('2026-03-05T10:00:00Z') },
      ]);
    });

    it('given a conversion by a sale naming none, when lost after the sale, then the loss is noted; withdrawn later, it is lost at the loss time', () => {
      const noted: ReferralEvent = { type: 'ReferralLossNoted', data: { ...lostData('2026-03-10T00:00:00Z'), policyNo: 'PP-1' } };
      spec.given([registered(), converted('party-and-line')]).when(markLost('2026-03-10T00:00:00Z')).then([noted]);
      const state = fold(referralDecider, [registered(), converted('party-and-line'), noted]);
      expect(state).toMatchObject({ status: 'converted', policyNo: 'PP-1', closedAt: '2026-03-05T10:00:00Z', lostAt: '2026-03-10T00:00:00Z' });
      expect(lossRefusedButNoted([noted], state)).toMatchObject({ code: 'REFERRAL_ILLEGAL_TRANSITION', details: { referralId: 'R-1', from: 'converted', to: 'lost', lossKept: true } });
      const withdraw = { type: 'WithdrawConversion' as const, data: { referralId: 'R-1', policyNo: 'PP-1', reason: 'earlier registration', withdrawnAt: '2026-04-12T00:00:00Z' } };
      spec.given([registered(), converted('party-and-line'), noted]).when(withdraw).then([
        { type: 'ReferralConversionWithdrawn', data: { ...withdraw.data, reopenedAs: 'lost', closedAt: '2026-03-10T00:00:00Z' } },
      ]);
    });

    it('given a noted loss, when a loss dated later is reported, then REFERRAL_ILLEGAL_TRANSITION and nothing is noted twice', () => {
      const noted: ReferralEvent = { type: 'ReferralLossNoted', data: { ...lostData('2026-03-10T00:00:00Z'), policyNo: 'PP-1' } };
      spec.given([registered(), converted('party-and-line'), noted]).when(markLost('2026-03-12T00:00:00Z')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });

    it('given a noted loss, when a loss dated before the sale is reported, then the earlier one stands: withdrawn (reopened lost at the noted date) and lost at it', () => {
      const noted: ReferralEvent = { type: 'ReferralLossNoted', data: { ...lostData('2026-03-10T00:00:00Z'), policyNo: 'PP-1' } };
      spec.given([registered(), converted('party-and-line'), noted]).when(markLost('2026-03-04T00:00:00Z')).then([
        withdrawnBy('lost', '2026-03-10T00:00:00Z'),
        { type: 'ReferralLost', data: lostData('2026-03-04T00:00:00Z') },
      ]);
    });

    it('given a noted loss, when a loss dated between the sale and the noted one is reported, then it is noted instead', () => {
      const noted = (lostAt: string): ReferralEvent => ({ type: 'ReferralLossNoted', data: { ...lostData(lostAt), policyNo: 'PP-1' } });
      spec.given([registered(), converted('party-and-line'), noted('2026-03-10T00:00:00Z')]).when(markLost('2026-03-07T00:00:00Z')).then([noted('2026-03-07T00:00:00Z')]);
    });

    it('given a conversion by a sale that named the referral, when lost before the sale, then the conversion is withdrawn and it is lost (a lost referral is not converted by a later sale naming it)', () => {
      spec.given([registered(), converted('referralId')]).when(markLost('2026-03-04T00:00:00Z')).then([
        withdrawnBy('registered'), { type: 'ReferralLost', data: lostData('2026-03-04T00:00:00Z') },
      ]);
    });

    it('given a conversion by a sale that named the referral, when lost after the sale, then the loss is noted (the conversion stands) and refused with it kept', () => {
      const noted: ReferralEvent = { type: 'ReferralLossNoted', data: { ...lostData('2026-03-10T00:00:00Z'), policyNo: 'PP-1' } };
      spec.given([registered(), converted('referralId')]).when(markLost('2026-03-10T00:00:00Z')).then([noted]);
      const state = fold(referralDecider, [registered(), converted('referralId'), noted]);
      expect(state).toMatchObject({ status: 'converted', policyNo: 'PP-1', linkedBy: 'referralId', closedAt: '2026-03-05T10:00:00Z', lostAt: '2026-03-10T00:00:00Z' });
      const refusal = lossRefusedButNoted([noted], state);
      expect(refusal).toMatchObject({
        code: 'REFERRAL_ILLEGAL_TRANSITION',
        details: { referralId: 'R-1', from: 'converted', to: 'lost', lossKept: true, reportedLostAt: '2026-03-10T00:00:00Z', lostAt: '2026-03-10T00:00:00Z' },
      });
      expect(refusal!.message).toContain('the sale named the referral');
    });

    it('given a named sale\'s noted loss, when a loss dated between the sale and it is reported, then that one is noted; one dated later is refused, saying which loss stands', () => {
      const noted = (lostAt: string): ReferralEvent => ({ type: 'ReferralLossNoted', data: { ...lostData(lostAt), policyNo: 'PP-1' } });
      const history = [registered(), converted('referralId'), noted('2026-03-10T00:00:00Z')];
      spec.given(history).when(markLost('2026-03-07T00:00:00Z')).then([noted('2026-03-07T00:00:00Z')]);
      let refused: unknown;
      try {
        referralDecider.decide(markLost('2026-03-12T00:00:00Z'), fold(referralDecider, history));
      } catch (error) {
        refused = error;
      }
      expect(refused).toMatchObject({
        code: 'REFERRAL_ILLEGAL_TRANSITION', details: { from: 'converted', to: 'lost', reportedLostAt: '2026-03-12T00:00:00Z', lostAt: '2026-03-10T00:00:00Z' },
      });
      expect(refused).not.toHaveProperty('details.lossKept');
    });

    it('given a named sale\'s noted loss, when a loss dated before the sale is reported, then the conversion is withdrawn (reopened lost at the noted date) and it is lost at the earlier one', () => {
      const noted: ReferralEvent = { type: 'ReferralLossNoted', data: { ...lostData('2026-03-10T00:00:00Z'), policyNo: 'PP-1' } };
      spec.given([registered(), converted('referralId'), noted]).when(markLost('2026-03-04T00:00:00Z')).then([
        withdrawnBy('lost', '2026-03-10T00:00:00Z'), { type: 'ReferralLost', data: lostData('2026-03-04T00:00:00Z') },
      ]);
    });

    it('given a sale naming the referral and two later reports of its loss, then every arrival order leaves it converted with the earlier loss', () => {
      const sale = { ...convert('2026-03-05T10:00:00Z') };
      const losses = [markLost('2026-03-07T00:00:00Z', 'bought elsewhere'), markLost('2026-03-10T00:00:00Z')];
      const orders = [[sale, ...losses], [sale, losses[1], losses[0]], [losses[0], sale, losses[1]], [losses[1], sale, losses[0]], [...losses, sale], [losses[1], losses[0], sale]];
      const outcomes = orders.map((order) => {
        let state = fold(referralDecider, [registered()]);
        for (const command of order) {
          try {
            state = referralDecider.decide(command, state).reduce(referralDecider.evolve, state);
          } catch (error) {
            expect((error as { code: string }).code).toBe('REFERRAL_ILLEGAL_TRANSITION');
          }
        }
        return state;
      });
      for (const state of outcomes) {
        expect(state).toMatchObject({ status: 'converted', policyNo: 'PP-1', linkedBy: 'referralId', closedAt: '2026-03-05T10:00:00Z', lostAt: '2026-03-07T00:00:00Z' });
      }
    });

    it('given a lost referral, when a loss dated later is reported, then the refusal names the loss it keeps and the one reported', () => {
      const lost: ReferralEvent = { type: 'ReferralLost', data: lostData('2026-03-10T00:00:00Z') };
      expect(() => referralDecider.decide(markLost('2026-03-11T00:00:00Z'), fold(referralDecider, [registered(), lost]))).toThrow(expect.objectContaining({
        code: 'REFERRAL_ILLEGAL_TRANSITION', details: { referralId: 'R-1', from: 'lost', to: 'lost', reportedLostAt: '2026-03-11T00:00:00Z', lostAt: '2026-03-10T00:00:00Z' },
      }));
    });

    it('given a lost or expired referral a sale converted late, when a loss dated before the sale is reported, then the conversion is withdrawn and it is lost at that date', () => {
      const lost: ReferralEvent = { type: 'ReferralLost', data: lostData('2026-03-10T00:00:00Z') };
      const expired: ReferralEvent = { type: 'ReferralExpired', data: { referralId: 'R-1', windowEndsAt: '2026-03-31T09:00:00Z', expiredAt: '2026-04-01T00:00:00Z' } };
      spec.given([registered(), lost, converted('party-and-line')]).when(markLost('2026-03-04T00:00:00Z')).then([
        withdrawnBy('lost', '2026-03-10T00:00:00Z'),
        { type: 'ReferralLost', data: lostData('2026-03-04T00:00:00Z') },
      ]);
      spec.given([registered(), expired, converted('party-and-line')]).when(markLost('2026-03-04T00:00:00Z')).then([
        withdrawnBy('expired', '2026-04-01T00:00:00Z'),
        { type: 'ReferralLost', data: lostData('2026-03-04T00:00:00Z') },
      ]);
    });

    it('given a lost referral a sale converted late, when a loss dated after its loss is reported, then REFERRAL_ILLEGAL_TRANSITION', () => {
      const lost: ReferralEvent = { type: 'ReferralLost', data: lostData('2026-03-10T00:00:00Z') };
      spec.given([registered(), lost, converted('party-and-line')]).when(markLost('2026-03-11T00:00:00Z')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });

    it('given a lost referral, when a loss dated earlier is reported, then it is lost at the earlier date; one dated later is refused', () => {
      const lost: ReferralEvent = { type: 'ReferralLost', data: lostData('2026-03-10T00:00:00Z') };
      spec.given([registered(), lost]).when(markLost('2026-03-04T00:00:00Z', 'bought elsewhere')).then([
        { type: 'ReferralLost', data: { ...lostData('2026-03-04T00:00:00Z'), reason: 'bought elsewhere' } },
      ]);
      expect(fold(referralDecider, [registered(), lost, { type: 'ReferralLost', data: lostData('2026-03-04T00:00:00Z') }]))
        .toMatchObject({ status: 'lost', lostAt: '2026-03-04T00:00:00Z', closedAt: '2026-03-04T00:00:00Z' });
      spec.given([registered(), lost]).when(markLost('2026-03-10T00:00:00Z')).thenThrows('REFERRAL_ILLEGAL_TRANSITION');
    });

    it('given an expired referral, when a loss dated before the expiry check is reported, then it is lost, as it would have been before the check', () => {
      const expired: ReferralEvent = { type: 'ReferralExpired', data: { referralId: 'R-1', windowEndsAt: '2026-03-31T09:00:00Z', expiredAt: '2026-04-01T00:00:00Z' } };
      spec.given([registered(), expired]).when(markLost('2026-03-20T00:00:00Z')).then([{ type: 'ReferralLost', data: lostData('2026-03-20T00:00:00Z') }]);
    });

    it('given an open referral, when lost, then no loss is noted and lossRefusedButNoted finds no refusal', () => {
      const events = referralDecider.decide(markLost('2026-03-04T00:00:00Z'), fold(referralDecider, [registered()]));
      expect(lossRefusedButNoted(events, fold(referralDecider, [registered(), ...events]))).toBeUndefined();
    });
  });
});
