import { Controller, Get, Header } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from './auth';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; every module registers its own gauges here. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by method, route and status',
  labelNames: ['method', 'route', 'status'],
  registers: [metricsRegistry],
});
const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency',
  labelNames: ['method', 'route'],
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** Counts and times an answered request (the HTTP server's response hook calls it). */
export function recordHttpMetrics(request: FastifyRequest, reply: FastifyReply): void {
  // The matched route pattern, not the raw URL, keeps label cardinality bounded.
  const route = request.routeOptions.url ?? 'unmatched';
  httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
}

@Roles('admin', 'coordinator', 'auditor')
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
