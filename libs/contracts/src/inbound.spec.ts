import { EXAMPLE_PAYLOADS, EXAMPLE_PERSON_INPUT, INBOUND_OPERATIONS, parseInboundRequest, pathParamOf } from '@lib/contracts';

const request = (operation: string, body: object, target?: string) => ({
  requestId: 'req-20260301-0001', operation, sentAt: '2026-03-01T09:30:00+08:00', body, ...(target ? { target } : {}),
});

function failure(result: ReturnType<typeof parseInboundRequest>) {
  if (result.ok) throw new Error('expected a failure');
  return { code: result.code, paths: result.issues.map((i) => i.path) };
}

describe('inbound requests (subsidiary.<sub>.inbound)', () => {
  it('given a client registration with the REST body, then it is accepted', () => {
    expect(parseInboundRequest(request('RegisterClient', EXAMPLE_PERSON_INPUT)).ok).toBe(true);
  });

  it('given a termination for a path-parameter route, then target carries the agent id', () => {
    const { agentId, ...body } = EXAMPLE_PAYLOADS.AgentTerminated;
    expect(parseInboundRequest(request('TerminateAgent', body, agentId)).ok).toBe(true);
    expect(failure(parseInboundRequest(request('TerminateAgent', body)))).toEqual({ code: 'INVALID_REQUEST', paths: ['target'] });
  });

  it.each([
    ['an unknown operation', request('DeleteClient', {}), 'INVALID_REQUEST', ['operation']],
    ['a target on a route without one', request('RegisterClient', EXAMPLE_PERSON_INPUT, 'LIFE-0000107'), 'INVALID_REQUEST', ['target']],
    ['a bad body field', request('RegisterReferral', { ...EXAMPLE_PAYLOADS.ReferralRegistered, productLine: 'PET' }), 'INVALID_BODY', ['body.productLine']],
    ['a person born after sentAt', request('RegisterClient', { ...EXAMPLE_PERSON_INPUT, identity: undefined, birthDate: '2026-03-02' }), 'INVALID_BODY', ['body.birthDate']],
    ['an update whose body names another client', request('UpdateClient', EXAMPLE_PERSON_INPUT, 'LIFE-0000999'), 'INVALID_BODY', ['body.localId']],
  ])('given %s, then it fails with %s', (_case, input, code, paths) => {
    expect(failure(parseInboundRequest(input))).toEqual({ code, paths });
  });

  it('then every operation names a REST route under /v1 and the event it becomes', () => {
    for (const [name, spec] of Object.entries(INBOUND_OPERATIONS)) {
      expect(spec.path).toMatch(/^\/v1\//);
      expect(pathParamOf(name as keyof typeof INBOUND_OPERATIONS)).toBe(/\{(\w+)\}/.exec(spec.path)?.[1] ?? null);
    }
    expect(new Set(Object.values(INBOUND_OPERATIONS).map((s) => s.emits)).size).toBe(17);
  });
});
