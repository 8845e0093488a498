import type { EventType } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../test/infra/postgres';
import { agent, company, policy } from './conflicts/testing/harness';
import { ClientViewProjection } from './identity/projections/client-view.projection';
import { ledgerRefusals } from './crediting/test/ledger-refusals';
import { policyReaders } from './testing/policy-readers';
import { creditLinesSettled, dispatchReplayed, projectionSettled, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * A reinstatement reported before the cancellation or lapse it undoes (issue #10): another partition delivers
 * it first, while the policy is in force on its date. P&C motor cover sold and serviced by P-3101 for March
 * 2026 to February 2027 (50,000 a year), cancelled or lapsed from 1 June 2026, reinstated from 1 July 2026;
 * with the cancellation, an endorsement dated 1 August 2026 (+500, credited in business order: the policy is in
 * force again). Every order of the facts (the sale among them: a fact before its policy is parked until the
 * policy is recorded) plays on its own client and policy. The portfolio took the early reinstatement for a
 * repeat and the ledger refused it, so the termination stood. Every reader must say what business order
 * (sale, termination, reinstatement, endorsement) says: the portfolio row, its status history and the days in
 * force by it, identity's 360° view of the holding and its folded policy, the ledger's status and standing refusals,
 * net credit per credited line, and the credit lines row by row (but where the endorsement was credited before
 * the cancellation withdrew its credit: there its own lines differ, see RELIABILITY.md).
 * With the endorsement dated between the cancellation and the reinstatement (15 June), business order refuses
 * it (the policy cancelled on its date) and the reinstatement, dated after it, does not credit it; with a lapse
 * dated between them instead, business order credits nothing of the lapse (a repeat while cancelled) and the
 * reinstatement undoes the cancellation. The ledger judged either, arriving after both, by its status then (in
 * force again). Where the lapse arrives before the cancellation, the cancellation takes its place when it arrives:
 * the lapse's clawback, and the reinstatement's re-credit of it, are taken back (`termination-<id>`), so those
 * orders' lines are compared row by row without the lapse's lines and those taking them back. So too with the
 * cancellation and the lapse alone: business order's cancellation stands, and the lapse repeats it. With a lapse, or a
 * second cancellation, dated after the reinstatement (1 September), business order's reinstatement undoes the first
 * cancellation and the second termination ends the policy again. Arriving while the first stood, it was taken for a
 * repeat (the ledger refused it, the portfolio dropped a second cancellation), and the first, arriving after it with
 * the reinstatement kept, was: the policy read in force, or terminated from September alone. Where it arrives first
 * and the cancellation takes its place before the reinstatement comes, its clawback is taken back, then posted again
 * once the reinstatement puts the policy in force before it: those adjustments (`~…`) are left out row by row. With a
 * renewal from 1 March 2027 instead of the reinstatement and a lapse or second cancellation dated in its term (1 June
 * 2027), business order's renewal puts the policy back in force and the second termination ends it again. Arriving while
 * the first stood, the second was kept as its repeat, and the renewal, arriving after both, did not put it back (the
 * ledger read in force); the first, arriving after the renewal and the second, went no further (its clawback missing).
 * With a second reinstatement (1 October) undoing the second cancellation (1 September), after the sale in all 24 orders
 * of the other four: recorded before the first reinstatement it reinstated the first cancellation, and the first
 * reinstatement (or the second cancellation, arriving after it with the first kept) was kept: history and lines differed.
 */
jest.setTimeout(900_000);

type Fact = 'ISSUE' | 'END' | 'REINSTATE' | 'ENDORSE' | 'LAPSE' | 'RENEW' | 'REINSTATE2';

const T0 = '2026-01-05T09:00:00+08:00';
const client = (tag: string, n: number) => `PNC-ORG-RE${tag}${n}`;
const policyNo = (tag: string, n: number) => `PM-RE${tag}${n}`;
const DAYS = ['2026-05-31', '2026-06-01', '2026-06-30', '2026-07-01', '2026-08-01', '2027-02-28', '2027-03-01', '2027-06-01'];

interface Scenario {
  name: string; tag: string; seed: number; termination: 'PolicyCancelled' | 'PolicyLapsed'; reinstatedOn: string; facts: Fact[];
  /** Business order's row status, status history and days in force (of DAYS). */
  row: string; history: string[]; inForce: string[];
  /** The endorsement's date (1 August 2026 unless told), and the refusals standing in business order. */
  endorsedOn?: string; refused?: string[];
  /** The LAPSE fact's date (15 June 2026 unless told) and kind (a lapse unless told: a second cancellation). */
  lapsedOn?: string; lapse?: 'PolicyLapsed' | 'PolicyCancelled';
  /** The REINSTATE2 fact's date (a second reinstatement), and whether the sale comes first in every order (the others' orders only). */
  reinstatedAgainOn?: string; issuedFirst?: true;
}
const UNDONE = ['2026-05-31', '2026-07-01', '2026-08-01', '2027-02-28'];
const SCENARIOS: Scenario[] = [
  { name: 'a cancellation, a reinstatement and an endorsement after it', tag: 'C', seed: 5100, termination: 'PolicyCancelled', reinstatedOn: '2026-07-01',
    facts: ['ISSUE', 'END', 'REINSTATE', 'ENDORSE'], row: 'in-force', history: ['2026-06-01 cancelled', '2026-07-01 in-force'], inForce: UNDONE },
  { name: 'a lapse and a reinstatement', tag: 'L', seed: 5200, termination: 'PolicyLapsed', reinstatedOn: '2026-07-01',
    facts: ['ISSUE', 'END', 'REINSTATE'], row: 'in-force', history: ['2026-06-01 lapsed', '2026-07-01 in-force'], inForce: UNDONE },
  // Reported while the policy was in force and undoing nothing: kept, it changes no status; the cancellation stands.
  { name: 'a reinstatement dated before a cancellation', tag: 'B', seed: 5300, termination: 'PolicyCancelled', reinstatedOn: '2026-05-01',
    facts: ['ISSUE', 'REINSTATE', 'END'], row: 'cancelled', history: ['2026-05-01 in-force', '2026-06-01 cancelled'], inForce: ['2026-05-31'] },
  { name: 'a cancellation, an endorsement dated before its reinstatement, and the reinstatement', tag: 'E', seed: 5400, termination: 'PolicyCancelled',
    reinstatedOn: '2026-07-01', endorsedOn: '2026-06-15', facts: ['ISSUE', 'END', 'ENDORSE', 'REINSTATE'], row: 'in-force',
    history: ['2026-06-01 cancelled', '2026-07-01 in-force'], inForce: UNDONE, refused: ['Endorsed 2026-06-15 CREDIT_POLICY_NOT_IN_FORCE'] },
  { name: 'a cancellation, a lapse dated before its reinstatement, and the reinstatement', tag: 'X', seed: 5500, termination: 'PolicyCancelled',
    reinstatedOn: '2026-07-01', facts: ['ISSUE', 'END', 'LAPSE', 'REINSTATE'], row: 'in-force',
    history: ['2026-06-01 cancelled', '2026-06-15 lapsed', '2026-07-01 in-force'], inForce: UNDONE },
  { name: 'a cancellation and a lapse dated after it', tag: 'Y', seed: 5600, termination: 'PolicyCancelled', reinstatedOn: '2026-07-01',
    facts: ['ISSUE', 'END', 'LAPSE'], row: 'lapsed', history: ['2026-06-01 cancelled', '2026-06-15 lapsed'], inForce: ['2026-05-31'] },
  { name: 'a cancellation, its reinstatement and a lapse dated after it', tag: 'Z', seed: 5700, termination: 'PolicyCancelled', reinstatedOn: '2026-07-01',
    lapsedOn: '2026-09-01', facts: ['ISSUE', 'END', 'REINSTATE', 'LAPSE'], row: 'lapsed',
    history: ['2026-06-01 cancelled', '2026-07-01 in-force', '2026-09-01 lapsed'], inForce: ['2026-05-31', '2026-07-01', '2026-08-01'] },
  { name: 'a cancellation, its reinstatement and a second cancellation dated after it', tag: 'W', seed: 5800, termination: 'PolicyCancelled',
    reinstatedOn: '2026-07-01', lapsedOn: '2026-09-01', lapse: 'PolicyCancelled', facts: ['ISSUE', 'END', 'REINSTATE', 'LAPSE'], row: 'cancelled',
    history: ['2026-06-01 cancelled', '2026-07-01 in-force', '2026-09-01 cancelled'], inForce: ['2026-05-31', '2026-07-01', '2026-08-01'] },
  { name: 'a cancellation, a renewal and a second cancellation dated in the renewed term', tag: 'N', seed: 5900, termination: 'PolicyCancelled',
    reinstatedOn: '2026-07-01', lapsedOn: '2027-06-01', lapse: 'PolicyCancelled', facts: ['ISSUE', 'END', 'RENEW', 'LAPSE'], row: 'cancelled',
    history: ['2026-06-01 cancelled', '2027-06-01 cancelled'], inForce: ['2026-05-31', '2027-03-01'] },
  { name: 'a cancellation, a renewal and a lapse dated in the renewed term', tag: 'V', seed: 6000, termination: 'PolicyCancelled',
    reinstatedOn: '2026-07-01', lapsedOn: '2027-06-01', facts: ['ISSUE', 'END', 'RENEW', 'LAPSE'], row: 'lapsed',
    history: ['2026-06-01 cancelled', '2027-06-01 lapsed'], inForce: ['2026-05-31', '2027-03-01'] },
  { name: 'a cancellation, its reinstatement, a second cancellation and its reinstatement', tag: 'S', seed: 6100, termination: 'PolicyCancelled',
    reinstatedOn: '2026-07-01', lapsedOn: '2026-09-01', lapse: 'PolicyCancelled', reinstatedAgainOn: '2026-10-01', issuedFirst: true,
    facts: ['ISSUE', 'END', 'REINSTATE', 'LAPSE', 'REINSTATE2'], row: 'in-force',
    history: ['2026-06-01 cancelled', '2026-07-01 in-force', '2026-09-01 cancelled', '2026-10-01 in-force'], inForce: UNDONE },
];

async function send(app: NestFastifyApplication, type: EventType, payload: object, at: string): Promise<void> {
  await dispatchReplayed(app, subsidiaryEvent(type, 'pnc', payload, at, 'reinstatement'));
}

async function play(app: NestFastifyApplication, fact: Fact, n: number, scenario: Scenario): Promise<void> {
  const { tag, termination, reinstatedOn, endorsedOn = '2026-08-01', lapsedOn = '2026-06-15', lapse = 'PolicyLapsed' } = scenario;
  const no = policyNo(tag, n);
  switch (fact) {
    case 'ISSUE': {
      const issued = { ...policy(no, client(tag, n), 'MOTOR', 'P-3101', 'P-3101', 'AGENCY', null), effectiveDate: '2026-03-01', expiryDate: '2027-02-28' };
      return send(app, 'PolicyIssued', issued, '2026-02-25T10:00:00+08:00');
    }
    case 'END':
      return send(app, termination, { policyNo: no, effectiveDate: '2026-06-01', reason: 'unpaid' }, '2026-06-01T10:00:00+08:00');
    case 'REINSTATE':
      return send(app, 'PolicyReinstated', { policyNo: no, effectiveDate: reinstatedOn }, `${reinstatedOn}T10:00:00+08:00`);
    case 'ENDORSE':
      return send(app, 'PolicyEndorsed', { policyNo: no, effectiveDate: endorsedOn, premiumDelta: '500.00', reason: 'driver added' }, `${endorsedOn}T10:00:00+08:00`);
    case 'LAPSE':
      return send(app, lapse, { policyNo: no, effectiveDate: lapsedOn, reason: 'unpaid' }, `${lapsedOn}T10:00:00+08:00`);
    case 'REINSTATE2':
      return send(app, 'PolicyReinstated', { policyNo: no, effectiveDate: scenario.reinstatedAgainOn }, `${scenario.reinstatedAgainOn}T10:00:00+08:00`);
    case 'RENEW': {
      const renewal = { policyNo: no, newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount: '50000.00', currency: 'CNY', mode: 'ANNUAL' } };
      return send(app, 'PolicyRenewed', renewal, '2027-02-10T10:00:00+08:00');
    }
  }
}

interface LineRow {
  line_id: string; credit_key: string; origin: string; side: string; level: string; beneficiary_id: string; transaction_id: string;
  transaction_kind: string; reverses_line_id: string | null; premium: string; standard_premium: string; weighted_credit: string; effective_date: string; reason: string;
}

/** The policy's credit lines as the read model has them, each order's ids (transaction ids, policy number) named alike. */
async function linesOf(ds: DataSource, no: string): Promise<LineRow[]> {
  const rows: LineRow[] = await ds.query(
    `SELECT line_id, credit_key, origin, side, level, beneficiary_id, transaction_id, transaction_kind, reverses_line_id,
            premium::text, standard_premium::text, weighted_credit::text, effective_date::text, reason
       FROM coordination.credit_lines WHERE policy_no = $1`, [no]);
  const ids = new Map(rows.map((r) => [r.transaction_id, `${r.transaction_kind}@${r.effective_date}`]));
  const named = (text: string | null) => {
    if (text === null) return null;
    let out = text.split(no).join('PM');
    for (const [id, name] of ids) out = out.split(id).join(name);
    return out;
  };
  return rows
    .map((r) => ({ ...r, line_id: named(r.line_id)!, credit_key: named(r.credit_key)!, transaction_id: ids.get(r.transaction_id)!,
      reverses_line_id: named(r.reverses_line_id), reason: named(r.reason)! }))
    .sort((a, b) => a.line_id.localeCompare(b.line_id));
}

/** What every reader says of the policy, with the order's suffix taken off. */
async function readersOf(ds: DataSource, tag: string, n: number) {
  const no = policyNo(tag, n);
  // Refusals no later credit of the same transaction lifted (one arriving between the termination and the reinstatement is refused, then credited).
  const refused = (await ledgerRefusals(ds, `credit-pnc-${no}`, { standing: true })).map((r) => `${r.kind} ${r.date} ${r.code}`);
  // Lines whose credit was withdrawn net to nothing: no credit, as where they were never credited.
  const net = await ds.query(
    `SELECT o.transaction_kind AS kind, o.effective_date::text AS date, o.side, o.level, o.beneficiary_id AS beneficiary, sum(l.weighted_credit)::text AS weighted
       FROM coordination.credit_lines l JOIN coordination.credit_lines o ON o.line_id = l.credit_key
      WHERE l.policy_no = $1 GROUP BY 1, 2, 3, 4, 5 HAVING sum(l.weighted_credit) <> 0 ORDER BY 1, 2, 3, 4, 5`, [no]);
  return {
    ...(await policyReaders(ds, no, client(tag, n), DAYS)),
    refused,
    net,
  };
}

const before = (order: Fact[], a: Fact, b: Fact) => order.indexOf(a) < order.indexOf(b);
/**
 * Whether the endorsement was credited, then withdrawn by the cancellation: it arrived first, and the cancellation
 * came before the reinstatement, or the endorsement is dated before the reinstatement.
 */
const withdrawnFirst = (order: Fact[], { reinstatedOn, endorsedOn = '2026-08-01' }: Scenario) => order.includes('ENDORSE')
  && before(order, 'ENDORSE', 'END') && (before(order, 'END', 'REINSTATE') || endorsedOn < reinstatedOn);
/**
 * Where the lapse arrived before the cancellation it follows, the lines taking its clawback back when the cancellation
 * took its place (adjustments, `~termination-…`), or posting it again once the reinstatement came (`~reinstatement-…`),
 * are left out, and, dated before the reinstatement (a repeat in business order), its own lines too; the rest are
 * business order's.
 */
const withoutLapse = (order: Fact[], lines: LineRow[], { lapsedOn = '2026-06-15', reinstatedOn }: Scenario) => (order.includes('LAPSE')
  && before(order, 'LAPSE', 'END') ? lines.filter((l) => !l.line_id.includes('~') && (lapsedOn > reinstatedOn || !l.line_id.includes('Lapsed@'))) : lines);

/**
 * With a second reinstatement, where it was recorded before the first (reinstating the first cancellation), its lines are
 * taken back when the first and the second cancellation take their places before it: the lines netting others (`~…`) and
 * those they net to nothing are left out.
 */
function withoutNetted(lines: LineRow[]): LineRow[] {
  const credit = (id: string) => lines.filter((l) => l.line_id === id || l.line_id.startsWith(`${id}~`)).reduce((sum, l) => sum + Number(l.weighted_credit), 0);
  return lines.filter((l) => !l.line_id.includes('~') && !(lines.some((a) => a.line_id.startsWith(`${l.line_id}~`)) && Math.abs(credit(l.line_id)) < 0.005));
}

describe.each(SCENARIOS)('a policy with $name, in every arrival order', (scenario) => {
  const { tag, seed, facts } = scenario;
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const played: Array<{ order: Fact[]; n: number }> = [];

  beforeAll(async () => {
    ({ db, app } = await startWholeApp(`reinstatement_${tag.toLowerCase()}`));
    await send(app, 'AgentOnboarded', agent('P-3101', 'AGENCY'), T0);
    const orders = scenario.issuedFirst ? permutations(facts.slice(1)).map((o) => [facts[0], ...o]) : permutations(facts);
    for (const [n, order] of orders.entries()) {
      await send(app, 'ClientRegistered', company(client(tag, n), seed + n), T0);
      for (const fact of order) await play(app, fact, n, scenario);
      played.push({ order, n });
    }
    await projectionSettled(app, app.get(ClientViewProjection));
    await creditLinesSettled(app);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then every reader says what business order says', async () => {
    const ds = app.get(DataSource);
    const outcomes = await Promise.all(played.map(async ({ order, n }) => ({ order, readers: await readersOf(ds, tag, n) })));
    const business = outcomes.find((o) => o.order.join() === facts.join())!.readers;
    const { row, history, inForce } = scenario;
    expect(business).toMatchObject({ row, history, inForce, view: [`PM ${row}`], folded: row, ledger: row === 'in-force' ? 'in-force' : 'terminated',
      refused: scenario.refused ?? [] });
    const differing = outcomes.filter((o) => JSON.stringify(o.readers) !== JSON.stringify(business));
    expect(differing.map((o) => ({ order: o.order.join(' → '), ...o.readers }))).toEqual([]);
  });

  it('and the credit lines row by row: the termination\'s clawback, and the reinstatement\'s re-credit where it undoes it', async () => {
    const ds = app.get(DataSource);
    const business = await linesOf(ds, policyNo(tag, played.find((p) => p.order.join() === facts.join())!.n));
    expect(business.filter((l) => l.origin === 'reversal').length).toBeGreaterThan(0);
    // The reinstatement (or the second) re-credits the clawback dated before it (not a termination's after it, nor one it came before).
    const reinstatedTo = scenario.reinstatedAgainOn ?? scenario.reinstatedOn;
    const reinstated = facts.includes('REINSTATE')
      ? business.filter((l) => l.origin === 'reversal' && l.effective_date <= reinstatedTo).map((l) => l.line_id) : [];
    expect(business.filter((l) => l.origin === 'reinstatement').map((l) => l.reverses_line_id)).toEqual(reinstated);
    const differing: string[] = [];
    for (const { order, n } of played.filter((p) => !withdrawnFirst(p.order, scenario))) {
      const lines = await linesOf(ds, policyNo(tag, n));
      if (JSON.stringify(withoutLapse(order, order.includes('REINSTATE2') ? withoutNetted(lines) : lines, scenario)) !== JSON.stringify(business)) {
        differing.push(order.join(' → '));
      }
    }
    expect(differing).toEqual([]);
  });
});
