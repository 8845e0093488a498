import type autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';

/** A request generator: every request a new policy with its own Idempotency-Key. */
export function policyRequests(apiKey: string, holders: string[]) {
  const run = randomBytes(3).toString('hex');
  let n = 0;
  return [{
    method: 'POST' as const,
    path: '/v1/policies',
    setupRequest: (req: autocannon.Request) => {
      n += 1;
      const holder = holders[n % holders.length];
      const body = {
        policyNo: `BP-${run}-${n}`, productCode: 'WL20', holderLocalId: holder, insuredLocalIds: [holder],
        premium: { amount: '12000.00', currency: 'CNY', mode: 'ANNUAL' }, effectiveDate: '2026-03-01', expiryDate: '2046-02-28',
        sellingAgentId: 'A-BENCH', servicingAgentId: 'A-BENCH', localChannelCode: 'GX01', referralId: null,
      };
      return { ...req, headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': `${run}-${n}` }, body: JSON.stringify(body) };
    },
  }];
}
