import { creditCodeCheckChar, generateCreditCode, residentIdCheckChar, seededRng } from '@lib/contracts';
import fc from 'fast-check';
import { expectClean, fingerprint, type FuzzTarget, type Req, FUZZ_RUNS, fuzzParams, residentId, send, sendRaw, startSeededFuzzTarget, validRequest } from './rest-fixtures';

/**
 * Requests a subsidiary service must refuse before any handler runs (bodies too deep, too
 * big, not JSON, in another content type) and identity numbers whose check character is
 * wrong: a clean 4xx problem+json, nothing written, the service still answering.
 */
jest.setTimeout(300_000);

const RUNS = FUZZ_RUNS;
const params = fuzzParams;
let t: FuzzTarget;
let unique = 0;

beforeAll(async () => {
  t = await startSeededFuzzTarget();
});
afterAll(async () => t?.close());

async function sendAndCheck(r: Req) {
  const before = await fingerprint(t);
  const answer = await send(t, r);
  await expectClean(t, answer, before, `${r.method} ${r.path} ${JSON.stringify(r.body).slice(0, 200)}`);
  return answer;
}

describe('malformed requests', () => {
  const deep = (n: number, open: string, close: string, leaf = '1') => open.repeat(n) + leaf + close.repeat(n);

  it.each([
    ['objects nested 10,000 deep', deep(10_000, '{"a":', '}')],
    ['arrays nested 10,000 deep', deep(10_000, '[', ']')],
    ['a known field holding arrays nested 10,000 deep', `{"localId":"FZ-D1","kind":"person","name":${deep(10_000, '[', ']', '"x"')}}`],
    ['10,000 keys', `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`],
    ['truncated JSON', '{"localId":"FZ-T1","kind":"person",'],
    ['a JSON string', '"just a string"'],
    ['JSON null', 'null'],
    ['an empty body', ''],
    ['a byte-order mark and NUL bytes', '\uFEFF{"localId":"\u0000"}'],
  ])('%s: a clean 4xx, nothing written, the service still answers', async (_label, raw) => {
    const before = await fingerprint(t);
    const answer = await sendRaw(t, 'POST', '/v1/clients', raw);
    await expectClean(t, answer, before, _label);
    expect(answer.status).toBe(400);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });

  it('refuses a body over the size limit with 413, writing nothing', async () => {
    const before = await fingerprint(t);
    const body = JSON.stringify({ ...(validRequest('RegisterClient', 'big').body as object), address: 'x'.repeat(300_000) });
    const answer = await sendRaw(t, 'POST', '/v1/clients', body);
    await expectClean(t, answer, before, 'oversized');
    expect(answer).toMatchObject({ status: 413, json: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it.each([
    ['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x'], ['application/xml'],
    ['application/json-patch+json'], ['application/octet-stream'],
  ])('refuses Content-Type %s with 415, writing nothing', async (type) => {
    const before = await fingerprint(t);
    const answer = await sendRaw(t, 'POST', '/v1/agents', JSON.stringify(validRequest('OnboardAgent', `ct${++unique}`).body), { 'Content-Type': type });
    await expectClean(t, answer, before, type);
    expect(answer).toMatchObject({ status: 415, json: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('refuses a JSON body in a charset it does not know with 415, writing nothing', async () => {
    const before = await fingerprint(t);
    const answer = await sendRaw(t, 'POST', '/v1/agents', JSON.stringify(validRequest('OnboardAgent', `cs${++unique}`).body), { 'Content-Type': 'application/json; charset=x-klingon' });
    await expectClean(t, answer, before, 'charset');
    expect(answer.status).toBe(415);
  });
});

describe('identity numbers', () => {
  const otherChar = (right: string, pick: number) => '0123456789X'.replace(right, '')[pick % 10];

  it('refuses a resident ID with a wrong check digit with 400 naming identity.number, writing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(9), async (seed, pick) => {
        const number = residentId(`19${String(50 + (seed % 50)).padStart(2, '0')}-0${1 + (seed % 9)}-1${seed % 10}`);
        const wrong = number.slice(0, 17) + otherChar(residentIdCheckChar(number.slice(0, 17)), pick);
        const r = validRequest('RegisterClient', `id${++unique}`);
        const body = { ...(r.body as Record<string, unknown>), identity: { type: 'RESIDENT_ID', number: wrong }, birthDate: undefined };
        const answer = await sendAndCheck({ ...r, body });
        expect(answer.status).toBe(400);
        expect(answer.json.errors.map((e: { field: string }) => e.field)).toContain('identity.number');
        expect(answer.text).not.toContain(wrong.slice(0, 17));
      }),
      params(RUNS * 2),
    );
  });

  it('refuses a credit code with a wrong check character with 400 naming creditCode', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(9), async (seed, pick) => {
        const code = generateCreditCode(seededRng(seed));
        const right = creditCodeCheckChar(code.slice(0, 17));
        const wrong = code.slice(0, 17) + '0123456789ABCDEFGHJKLMNPQRTUWXY'.replace(right, '')[pick];
        const body = { localId: `FZ-O-${++unique}`, kind: 'organization', name: '华达科技有限公司', creditCode: wrong, industry: 'manufacturing', size: 'medium' };
        const answer = await sendAndCheck({ method: 'POST', path: '/v1/clients', body });
        expect(answer.status).toBe(400);
        expect(answer.json.errors.map((e: { field: string }) => e.field)).toContain('creditCode');
      }),
      params(RUNS),
    );
  });
});
