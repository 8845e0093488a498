/**
 * The coordination throughput bench in BENCHMARKS.md: its three targets, every measured
 * phase, and what the same run says about where the time goes (CPU and PostgreSQL work
 * per event). Derived numbers are labelled as arithmetic on measured ones.
 */
import { mdTable } from './markdown';
import type { BenchRun } from './render';
import type { Figure, Section } from './sections';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the bench's JSON report
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toLocaleString('en-US') : String(x));
const cpuText = (c: Json) => `service ${c.service}, PostgreSQL ${c.postgres}, Kafka ${c.broker} ms`;

function rateText(t: Json): string {
  const r = t.eventsPerSecond;
  return `${num(r.view)}/s end-to-end (inbound ${num(r.inbound)}/s, steady 10–90 % ${num(r.steady)}/s) in ${t.viewSeconds} s; CPU per event ${cpuText(t.cpuMsPerEvent)}; parked ${t.parked}, dead letters ${t.deadLetters}`;
}

function freshText(f: Json): string {
  return `view p50 ${num(f.latencyMs.p50)} / p90 ${num(f.latencyMs.p90)} / p99 ${num(f.latencyMs.p99)} / max ${num(f.latencyMs.max)} ms; ` +
    `inbound applied p50 ${num(f.inboundMs?.p50)} / p99 ${num(f.inboundMs?.p99)} ms; sent ${num(f.producedRate)}/s; poll ~${f.pollMs} ms`;
}

function details(r: Json): string {
  const rows: string[][] = [];
  if (r.partyLoad) rows.push(['setup: parties through the pipeline (ClientRegistered only)', `${num(r.partyLoad.events)} events`, rateText(r.partyLoad)]);
  if (r.sustained) rows.push(['sustained mixed backlog', `${num(r.sustained.events)} events`, rateText(r.sustained)]);
  if (r.freshness) rows.push([`freshness at ${num(r.freshness.targetRate)} events/s`, `${num(r.freshness.seen)}/${num(r.freshness.events)} seen`, freshText(r.freshness)]);
  if (r.freshnessLow) rows.push([`freshness at ${num(r.freshnessLow.targetRate)} events/s (half the sustained rate)`, `${num(r.freshnessLow.seen)}/${num(r.freshnessLow.events)} seen`, freshText(r.freshnessLow)]);
  if (r.fill) rows.push(['at scale: SQL copies of pipeline-built views', `${num(r.fill.cloned)} views`, `${r.fill.seconds} s`]);
  if (r.sustainedAtScale) rows.push([`at scale: mixed backlog with ${num(r.fill ? r.fill.fromPipeline + r.fill.cloned : 0)} views`, `${num(r.sustainedAtScale.events)} events`, rateText(r.sustainedAtScale)]);
  if (r.reads) {
    const g = r.reads;
    const inFlight = g.maxInFlight === undefined ? '' : `, at most ${g.maxInFlight} in flight`;
    rows.push([`GET /v1/clients/{id} paced at ${g.targetRate} req/s, ${g.connections} connections, ${g.seconds} s`, `${num(g.ok)} ok, ${g.non2xx} non-2xx, ${g.errors} errors`,
      `p50 ${g.latencyMs.p50} / p90 ${g.latencyMs.p90} / p99 ${g.latencyMs.p99} / max ${g.latencyMs.max} ms (from when each was due) at ${num(g.achievedRate)}/s${inFlight}; CPU per request ${cpuText(g.cpuMsPerRequest)}`]);
    const b = g.bursts;
    if (b) rows.push([`GET /v1/clients/{id}, ${g.targetRate} per second sent in bursts (autocannon overallRate)`, `${num(b.ok)} ok, ${b.non2xx} non-2xx, ${b.errors} errors`, `p50 ${b.latencyMs.p50} / p90 ${b.latencyMs.p90} / p99 ${b.latencyMs.p99} / max ${b.latencyMs.max} ms (autocannon's figures)`]);
  }
  if (r.ceilings) {
    rows.push(['ceiling: plain kafkajs consumer group, same topics', `${num(r.ceilings.kafkaConsume.messages)} messages`, `${num(r.ceilings.kafkaConsume.messagesPerSecond)} messages/s`]);
    const pg = r.ceilings.postgresInsert;
    rows.push(['ceiling: plain PostgreSQL INSERT of the same event JSON, one connection', `${num(pg.rows)} rows`, `${num(pg.perRowPerSecond)}/s one row per statement (500 per transaction); ${num(pg.batchedPerSecond)}/s 500 rows per statement`]);
    const sb = r.ceilings.setBased;
    if (sb) {
      rows.push([`ceiling: a registration's rows written set-based, PostgreSQL only (slices of ${sb.slice}, one statement per table, ${sb.lanes} connections; \`set-based-ceiling.ts\`)`,
        `${num(sb.registrations)} registrations`, `${num(sb.registrationsPerSecond)} registrations/s, ${sb.statementsPerSlice} statements a slice, no decisions, no Kafka`]);
    }
  }
  return mdTable(['phase', 'volume', 'result'], rows);
}

/** Tables read whole (sequential scans) about once per event or more: their cost grows with the data. */
function seqScans(db: Json): string {
  const hot = db.busiest.filter((b: Json) => b.seqScan >= 0.1).map((b: Json) => `${b.table} ${b.seqScan}`);
  return hot.length ? `Sequential scans per event: ${hot.join(', ')}. ` : '';
}

function notes(j: Json): string[] {
  const r = j.results;
  const out: string[] = [];
  const loadRate = r.partyLoad?.eventsPerSecond.view;
  if (r.fill && loadRate) {
    out.push(`Parties: ${num(r.partyLoad.events)} went through the whole pipeline; after the sustained and freshness phases, ${num(r.fill.cloned)} SQL copies of pipeline-built views were added (only \`client_view\` grows) so the last backlog and the reads run against ${num(j.settings.parties)}. ` +
      `At the ${num(loadRate)}/s measured here, loading ${num(j.settings.parties)} through the pipeline would take about ${num(Math.round(j.settings.parties / loadRate / 60))} minutes (arithmetic, not measured).`);
  }
  const capacity = r.sustained?.eventsPerSecond.steady;
  if (r.freshness && capacity && r.freshness.targetRate > capacity) {
    out.push(`At ${num(r.freshness.targetRate)} events/s the pipeline (about ${num(capacity)}/s in this run) falls behind by roughly ${num(r.freshness.targetRate - capacity)} events every second, so that latency measures the backlog and grows with \`--fresh-seconds\`; the half-rate line shows the pipeline's own latency.`);
  }
  out.push('Freshness = from just before the send to the first poll (every ~25 ms) whose snapshot shows the record in `client_lookup` + `client_view` or the policy in `client_view_policies`; "inbound applied" = first poll that finds its id in `processed_events`. ' +
    'The projections read the event store\'s gap-free prefix: an event waits until every transaction that was open on the PostgreSQL cluster when it committed has ended (`pg_snapshot_xmin(pg_current_snapshot())` is cluster-wide, so other databases on this shared server count), then up to one 100 ms poll.');
  const t = r.sustained;
  if (t) {
    const c = t.cpuMsPerEvent;
    const total = c.service + c.postgres + c.broker;
    const db = t.dbPerEvent;
    out.push(`Where the time goes (mixed stream): ${total.toFixed(1)} ms of CPU per event (${cpuText(c)}), so two dedicated cores would carry at most ~${num(Math.round(2000 / total))} events/s (arithmetic). ` +
      (db ? seqScans(db) : '') +
      (db ? `Per event PostgreSQL saw ~${db.indexScans} index scans and ~${db.rowWrites} row writes (pg_stat_user_tables; busiest: ${db.busiest.slice(0, 5).map((b: Json) => `${b.table} ${b.idxScan}/${b.writes}`).join(', ')}), issued in the batch transactions of up to three partitions at once (\`INBOUND_CONCURRENCY\`), a statement that does not need the answer of the one before sent with it (pipelined connections).` : ''));
  }
  if (r.reads) {
    const c = r.reads.cpuMsPerRequest;
    if (r.reads.bursts) out.push('The read target is measured paced (`bench/lib/paced-load.ts`): one request due every 1/rate s, each latency from the moment it was due, so a stall counts in every request it delays. The bursts row offers the same rate as autocannon\'s `overallRate` does: every connection sends its share of each second back to back when the second starts, then waits; autocannon also corrects it for coordinated omission with a 1 ms expected interval. That is 500 requests at 20 concurrency once a second, not a rate of 500/s, so it is shown for comparison with earlier reports only.');
    out.push(`Each GET also appends a ClientViewRead event. At ${cpuText(c)} of CPU per request, ${num(r.reads.targetRate)} req/s needs ~${((r.reads.targetRate * (c.service + c.postgres)) / 1000).toFixed(1)} cores (arithmetic).`);
  }
  const scaled = r.sustainedAtScale?.eventsPerSecond.view;
  if (scaled && r.sustained) {
    out.push(`The same mixed stream ran at ${num(scaled)}/s once \`client_view\` held ${num(j.settings.parties)} rows, against ${num(r.sustained.eventsPerSecond.view)}/s at ${num(j.settings.pipelineParties)} parties: ` +
      `a cost that grows with the number of parties (see the busiest tables per event in the JSON, \`results.sustainedAtScale.dbPerEvent\`).`);
  }
  const l = j.loadAverage;
  if (l) out.push(`Load average during this bench: ${l.before.join(' / ')} before, ${l.after.join(' / ')} after (${j.machine?.cores ?? '?'} cores).`);
  return out;
}

export function coordinationSection(run: BenchRun): Section {
  const j: Json = run.json;
  if (!j?.results) throw new Error('no results in the coordination report');
  const served = j.results.reads ? ` (${num(j.results.reads.achievedRate)}/s served)` : '';
  const figures: Figure[] = (j.targets ?? []).map((t: Json) => ({
    figure: String(t.name).startsWith('GET') ? `${t.name}${served}` : t.name, measured: `${num(t.value)} ${t.unit}`, target: t.target, met: t.pass ? 'yes' : '**no**', ceiling: t.ceiling,
  }));
  // A run that broke off still shows the phases it finished.
  const failure = j.error ? [`**The run failed** before finishing: ${String(j.error).split('\n')[0]}`] : [];
  if (j.error) figures.push({ figure: 'complete run', measured: 'failed (see notes)', target: 'all phases', met: '**no**' });
  const s = j.settings;
  return {
    settings: `${num(s.parties)} parties (${num(s.pipelineParties)} through the pipeline), ${num(s.events)}-event mixed backlog, freshness at ${num(s.rate)} events/s for ${s.freshSeconds} s ` +
      `and at half the sustained rate for ${s.freshLowSeconds} s, a ${num(s.postFillEvents ?? 0)}-event mixed backlog once the view table holds ${num(s.parties)} parties, ` +
      `reads at ${num(s.readRate)} req/s for ${s.readSeconds} s with ${s.readConnections} connections, ${s.partitions} partitions per topic; ` +
      `coordination as its own process (\`${['node', ...(j.machine?.serviceNodeArgs ?? []), 'dist/apps/coordination/src/main.js'].join(' ')}\`), its own database and broker`,
    figures,
    details: details(j.results),
    notes: [...failure, ...notes(j)],
  };
}
