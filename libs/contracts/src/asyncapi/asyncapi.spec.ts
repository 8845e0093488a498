import { buildAsyncApi, DECISION_TYPES, DLQ_HEADERS, EVENT_TYPES, SUBSIDIARY_EVENT_TYPES, toYaml } from '@lib/contracts';

type Node = Record<string, unknown>;
const doc = buildAsyncApi() as Node & { channels: Record<string, Node>; operations: Record<string, Node>; components: Record<string, Record<string, Node>> };

function resolvePointer(root: unknown, ref: string): unknown {
  return ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Node | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], root);
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
}

describe('buildAsyncApi', () => {
  it('then it is an AsyncAPI 3.0 document', () => {
    expect(doc.asyncapi).toBe('3.0.0');
  });

  it.each(EVENT_TYPES.map((t) => [t]))('given %s, then it has a message with its payload schema and key rule', (type) => {
    const message = doc.components.messages[type] as { payload: { properties: Node }; bindings: { kafka: { key: Node } } };
    expect(message.payload.properties.type).toEqual({ const: type });
    const payload = resolvePointer(doc, (message.payload.properties.payload as { $ref: string }).$ref) as Node;
    expect(payload.type === 'object' || Array.isArray(payload.oneOf)).toBe(true);
    expect(message.bindings.kafka.key.description).toEqual(expect.any(String));
  });

  it('then each subsidiary events channel carries every subsidiary event type, and decisions the decision types', () => {
    for (const sub of ['life', 'pnc', 'group']) {
      expect(doc.channels[`${sub}Events`]).toMatchObject({ address: `subsidiary.${sub}.events` });
      expect(Object.keys(doc.channels[`${sub}Events`].messages as Node)).toEqual([...SUBSIDIARY_EVENT_TYPES]);
    }
    expect(Object.keys(doc.channels.decisions.messages as Node)).toEqual([...DECISION_TYPES]);
  });

  it('then every channel has a DLQ channel whose messages declare the DLQ headers', () => {
    const addresses = Object.values(doc.channels).map((c) => c.address as string);
    for (const address of addresses.filter((a) => !a.endsWith('.dlq'))) expect(addresses).toContain(`${address}.dlq`);
    const headers = (doc.components.messages.DeadLetter.headers as { properties: Node }).properties;
    expect(Object.keys(headers).sort()).toEqual(Object.values(DLQ_HEADERS).sort());
  });

  it('then every $ref resolves, and operations only reference messages of their own channel', () => {
    const unresolved = refsIn(doc).filter((ref) => resolvePointer(doc, ref) === undefined);
    expect(unresolved).toEqual([]);
    for (const op of Object.values(doc.operations)) {
      const channelRef = (op.channel as { $ref: string }).$ref;
      for (const m of op.messages as { $ref: string }[]) expect(m.$ref.startsWith(`${channelRef}/messages/`)).toBe(true);
    }
  });

  it('then the YAML rendering lists every event type as a message', () => {
    const yaml = toYaml(doc);
    for (const type of EVENT_TYPES) expect(yaml).toContain(`\n    ${type}:\n      name: "${type}"`);
  });
});

describe('toYaml', () => {
  it.each([
    ['nested objects and arrays', { a: { b: [1, { c: 'x' }] } }, 'a:\n  b:\n    - 1\n    - c: "x"\n'],
    ['empty collections inline', { a: [], b: {} }, 'a: []\nb: {}\n'],
    ['keys YAML would misread', { yes: 1, '1a': 2, 'x-y': 3 }, '"yes": 1\n"1a": 2\nx-y: 3\n'],
    ['multi-line prose as a literal block', { d: 'one\ntwo' }, 'd: |-\n  one\n  two\n'],
    ['a string with a trailing newline stays quoted', { d: 'one\n' }, 'd: "one\\n"\n'],
  ])('given %s, then it renders block YAML', (_case, value, yaml) => {
    expect(toYaml(value)).toBe(yaml);
  });
});
