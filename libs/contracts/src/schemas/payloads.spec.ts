import {
  EVENT_TYPES, EXAMPLE_PAYLOADS, EventType, formatIssues, parseWith, payloadSchemaOf,
} from '@lib/contracts';
import { DELETE, mutate } from '../testing/mutate';

function related(a: string, b: string): boolean {
  const within = (x: string, y: string) => x === y || x.startsWith(`${y}[`) || x.startsWith(`${y}.`);
  return within(a, b) || within(b, a);
}

function issuesOf(type: EventType, payload: unknown) {
  const result = parseWith(payloadSchemaOf(type), payload);
  return result.ok ? [] : result.issues;
}

describe('event payload schemas', () => {
  it.each(EVENT_TYPES.map((t) => [t]))('given the realistic %s example, then it is accepted', (type) => {
    expect(issuesOf(type, EXAMPLE_PAYLOADS[type])).toEqual([]);
  });

  // [type, what is wrong, field path, value (DELETE = field missing)]
  const bad: [EventType, string, string, unknown][] = [
    ['ClientRegistered', 'a clear identity number', 'identity.number', '420106198912235872'],
    ['ClientRegistered', 'a hash that is not hex', 'identity.hash', 'not-a-hash'],
    ['ClientRegistered', 'an unmasked identity', 'identity.masked', '420106198912235872'],
    ['ClientRegistered', 'an unknown gender', 'gender', 'X'],
    ['ClientRegistered', 'a birth date that is not a date', 'birthDate', '1989-02-30'],
    ['ClientRegistered', 'a landline in phones', 'phones.0', '010-62345678'],
    ['ClientRegistered', 'a broken e-mail', 'emails', ['xu@']],
    ['ClientRegistered', 'a missing name', 'name', DELETE],
    ['ClientRegistered', 'a blank name', 'name', '   '],
    ['ClientRegistered', 'an unknown field', 'nickname', '小徐'],
    ['ClientRegistered', 'an unknown kind', 'kind', 'household'],
    ['ClientUpdated', 'a credit code with a wrong check character', 'creditCode', '91110101MA0123456C'],
    ['ClientUpdated', 'an unknown size', 'size', 'huge'],
    ['ClientUpdated', 'an industry that is not a slug', 'industry', 'Manufacturing Co'],
    ['ConsentChanged', 'an unknown scope', 'scope', 'everything'],
    ['ConsentChanged', 'a time without offset', 'at', '2026-03-01T09:30:00'],
    ['ConsentChanged', 'granted as a string', 'granted', 'yes'],
    ['RelationshipDeclared', 'a relationship to oneself', 'toLocalId', 'LIFE-0000108'],
    ['RelationshipDeclared', 'an unknown kind', 'kind', 'cousin'],
    ['RelationshipDeclared', 'an end before the start', 'until', '2010-01-01'],
    ['AgentOnboarded', 'a local channel code as channel', 'channel', 'GX01'],
    ['AgentOnboarded', 'a missing leaderId (null is required for none)', 'leaderId', DELETE],
    ['AgentOnboarded', 'the agent as its own leader', 'leaderId', 'A-1001'],
    ['AgentOnboarded', 'an unknown specialist line', 'specialistFor', ['PET']],
    ['AgentTransferred', 'a bad effective date', 'effectiveDate', '2026/07/01'],
    ['AgentTerminated', 'a blank reason', 'reason', ''],
    ['ReferralRegistered', 'a product line the product subsidiary does not sell', 'productLine', 'GROUP_HEALTH'],
    ['ReferralRegistered', 'an unknown subsidiary', 'productSubsidiary', 'bank'],
    ['PolicyIssued', 'premium as a number', 'premium.amount', 12000],
    ['PolicyIssued', 'premium with 3 decimals', 'premium.amount', '12000.001'],
    ['PolicyIssued', 'a zero premium', 'premium.amount', '0.00'],
    ['PolicyIssued', 'a foreign currency', 'premium.currency', 'USD'],
    ['PolicyIssued', 'an unknown premium mode', 'premium.mode', 'WEEKLY'],
    ['PolicyIssued', 'expiry before effect', 'expiryDate', '2026-02-28'],
    ['PolicyIssued', 'beneficiary shares that do not sum to 100', 'beneficiaries', [{ localId: 'LIFE-0000108', sharePct: 60 }]],
    ['PolicyIssued', 'a share with 3 decimals', 'beneficiaries.0.sharePct', 33.333],
    ['PolicyIssued', 'no insured', 'insuredLocalIds', []],
    ['PolicyIssued', 'a missing referralId (null is required for none)', 'referralId', DELETE],
    ['PolicyIssued', 'an unknown product line', 'productLine', 'PET'],
    ['PolicyIssued', 'a standard premium as a float', 'standardPremium', 9600.5],
    ['PolicyRenewed', 'a new term that ends before it starts', 'newExpiryDate', '2027-01-01'],
    ['PolicyEndorsed', 'a delta of "-0.00"', 'premiumDelta', '-0.00'],
    ['PolicyEndorsed', 'a delta without decimals', 'premiumDelta', '-350'],
    ['PolicyCancelled', 'a negative refund', 'refund', '-1.00'],
    ['PolicyLapsed', 'a missing reason', 'reason', DELETE],
    ['PolicyReinstated', 'an unknown field', 'reason', 'paid'],
    ['ClaimReported', 'a report time without offset', 'reportedAt', '2026-03-01 09:30'],
    ['ClaimSettled', 'a paid amount as a number', 'amountPaid', 8100],
    ['ActivityLogged', 'an unknown kind', 'kind', 'dinner'],
    ['ActivityLogged', 'a quoted price without product line', 'productLine', DELETE],
    ['ConflictResolved', 'split shares that do not sum to 100', 'shares.1.pct', '30.00'],
    ['ConflictResolved', 'an unknown outcome', 'outcome', 'toss'],
    ['ReferralStatusChanged', 'converted without policyNo', 'policyNo', DELETE],
    ['CreditNotice', 'a rule version of 0', 'ruleVersion', 0],
    ['CreditNotice', 'an unknown side', 'side', 'BOTH'],
  ];

  it.each(bad)('given a %s payload with %s, then it is rejected naming %s', (type, _what, path, value) => {
    const issues = issuesOf(type, mutate(EXAMPLE_PAYLOADS[type], path, value));
    const reported = issues.map((i) => i.path);
    // A cross-field rule names the array it checks; a bad element is named down to its index.
    const expected = path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
    expect(reported.filter((p) => related(p, expected))).not.toEqual([]);
    expect(formatIssues(issues)).toContain(`${reported[0]}: `);
  });

  it('given several bad fields, then each is reported with its own path', () => {
    const payload = mutate(mutate(EXAMPLE_PAYLOADS.PolicyIssued, 'premium.amount', 1), 'channel', 'BANK');
    expect(issuesOf('PolicyIssued', payload).map((i) => i.path).sort()).toEqual(['channel', 'premium.amount']);
  });

  it('given a missing required field, then the message says it is required', () => {
    const [issue] = issuesOf('AgentTerminated', mutate(EXAMPLE_PAYLOADS.AgentTerminated, 'effectiveDate', DELETE));
    expect(issue).toEqual({ path: 'effectiveDate', code: 'invalid_type', message: 'is required' });
  });

  it('given an unknown field, then the field itself is named, not its parent', () => {
    const issues = issuesOf('PolicyIssued', mutate(EXAMPLE_PAYLOADS.PolicyIssued, 'premium.tax', '1.00'));
    expect(issues).toEqual([{ path: 'premium.tax', code: 'unrecognized_key', message: expect.stringContaining('unknown fields are rejected') }]);
  });

  it('given a person with only name and phone (motor client), then it is accepted', () => {
    const motorClient = { localId: 'PNC-0009001', kind: 'person', name: '赵强', gender: 'U', phones: ['13800138000'] };
    expect(issuesOf('ClientRegistered', motorClient)).toEqual([]);
  });
});
