import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessLog, createLogger } from './logging';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

const request = (url: string) => ({ id: 'corr-1', method: 'POST', url }) as FastifyRequest;
const reply = (statusCode: number) => ({ statusCode, elapsedTime: 12.4 }) as FastifyReply;

describe('access log', () => {
  it('writes one line per request: correlation id, method, path without query, status, time', () => {
    const { lines, stream } = capture();
    accessLog(createLogger('life', 'info', stream))(request('/v1/policies?x=1'), reply(202));
    expect(lines).toEqual([
      expect.objectContaining({ service: 'life', correlationId: 'corr-1', req: { method: 'POST', url: '/v1/policies' }, res: { statusCode: 202 }, responseTime: 12, msg: 'request completed' }),
    ]);
  });

  it('says when a request errored, and skips readiness probes and metric scrapes', () => {
    const { lines, stream } = capture();
    const log = accessLog(createLogger('life', 'info', stream));
    log(request('/health'), reply(200));
    log(request('/metrics'), reply(200));
    log(request('/v1/clients'), reply(500));
    expect(lines.map((l) => [l.req, l.msg])).toEqual([[{ method: 'POST', url: '/v1/clients' }, 'request errored']]);
  });

  it('writes nothing below level info', () => {
    const { lines, stream } = capture();
    accessLog(createLogger('life', 'warn', stream))(request('/v1/clients'), reply(202));
    expect(lines).toEqual([]);
  });

  it('leaves the service logger redacting (the access log alone skips it)', () => {
    const { lines, stream } = capture();
    const logger = createLogger('life', 'info', stream);
    accessLog(logger);
    logger.info({ body: { identity: { number: '110101199003071234' } }, req: { headers: { 'x-api-key': 'xsk_secret' } } }, 'careless');
    expect(JSON.stringify(lines)).not.toMatch(/110101199003071234|xsk_secret/);
  });
});
