/*
 * "Nothing lost, nothing doubled", checked from what was sent: each request a subsidiary
 * accepted must have become exactly one coordination event of its kind (caused by the
 * accepted event id), business keys must be recorded once, and no source event may have
 * caused the same event twice.
 */
import type { AcceptedRequest } from './plan-traffic';
import { withPg } from './coordination-state';

/** The coordination event each accepted request must cause exactly once ('≤1': only when it changes something). */
const PRIMARY: Record<string, { type: string; atMostOnce?: boolean }> = {
  OnboardAgent: { type: 'AgentRecorded' },
  TransferAgent: { type: 'AgentTransferRecorded' },
  TerminateAgent: { type: 'AgentTerminationRecorded' },
  RegisterClient: { type: 'SourceRecordLinked' },
  UpdateClient: { type: 'SourceRecordUpdated', atMostOnce: true },
  ChangeConsent: { type: 'ConsentChanged', atMostOnce: true },
  DeclareRelationship: { type: 'RelationshipRecorded' },
  RegisterReferral: { type: 'ReferralRegistered' },
  IssuePolicy: { type: 'PolicyRecorded' },
  RenewPolicy: { type: 'PolicyRenewalRecorded' },
  EndorsePolicy: { type: 'PolicyEndorsementRecorded' },
  CancelPolicy: { type: 'PolicyStatusChanged' },
  LapsePolicy: { type: 'PolicyStatusChanged' },
  ReinstatePolicy: { type: 'PolicyStatusChanged' },
  ReportClaim: { type: 'ClaimRecorded' },
  SettleClaim: { type: 'ClaimSettlementRecorded' },
  LogActivity: { type: 'ActivityRecorded' },
};

export interface EffectsReport {
  accepted: number;
  unprocessed: number;
  /** Accepted requests whose primary event is missing or appears more than once. */
  wrongCounts: string[];
  /** Source events that caused the same (type, stream) more than once. */
  doubled: string[];
  /** Events caused by an inbound source event nobody accepted. */
  strangers: number;
  /** Business keys recorded more than once (policy, agent, claim, activity, client link). */
  duplicateKeys: string[];
  parked: number;
  deadLetters: number;
  partyLinks: number;
  clientViews: number;
  parties: number;
}

export async function checkEffects(url: string, accepted: Iterable<AcceptedRequest>): Promise<EffectsReport> {
  const requests = [...accepted];
  return withPg(url, async (client) => {
    const ids = requests.map((r) => r.eventId);
    const { rows: processed } = await client.query<{ n: string }>('SELECT count(*) AS n FROM coordination.processed_events WHERE event_id = ANY($1::uuid[])', [ids]);
    const { rows: events } = await client.query<{ cause: string | null; actor: string | null; type: string; stream_id: string; n: string }>(
      `SELECT metadata->>'causationId' AS cause, metadata->>'actor' AS actor, type, stream_id, count(*) AS n
         FROM event_store.events GROUP BY 1, 2, 3, 4`,
    );
    const byCause = new Map<string, Map<string, number>>();
    for (const e of events) {
      const types = byCause.get(e.cause ?? '') ?? new Map<string, number>();
      types.set(e.type, (types.get(e.type) ?? 0) + Number(e.n));
      byCause.set(e.cause ?? '', types);
    }
    const known = new Set(ids);
    const counts = await scalarCounts(client);
    return {
      accepted: requests.length,
      unprocessed: requests.length - Number(processed[0].n),
      wrongCounts: requests.flatMap((r) => wrongCount(r, byCause.get(r.eventId))),
      doubled: events.filter((e) => e.cause && e.actor?.startsWith('subsidiary:') && Number(e.n) > 1).map((e) => `${e.cause} caused ${e.n} × ${e.type}@${e.stream_id}`),
      strangers: events.filter((e) => e.actor?.startsWith('subsidiary:') && e.cause && !known.has(e.cause)).length,
      duplicateKeys: await duplicateKeys(client),
      ...counts,
    };
  });
}

function wrongCount(request: AcceptedRequest, caused: Map<string, number> | undefined): string[] {
  const primary = PRIMARY[request.kind];
  if (!primary) return [`${request.kind} has no expectation`];
  const n = caused?.get(primary.type) ?? 0;
  const ok = primary.atMostOnce ? n <= 1 : n === 1;
  return ok ? [] : [`${request.kind} ${request.path} (${request.eventId}): ${n} × ${primary.type}`];
}

type Pg = Parameters<Parameters<typeof withPg>[1]>[0];

async function duplicateKeys(client: Pg): Promise<string[]> {
  const { rows } = await client.query<{ k: string; n: string }>(
    `SELECT type || ' ' || stream_id || coalesce(' ' || (data->>'claimNo'), '') || coalesce(' ' || (data->>'activityId'), '') AS k, count(*) AS n FROM event_store.events
      WHERE type IN ('PolicyRecorded', 'AgentRecorded', 'ClaimRecorded', 'ClaimSettlementRecorded', 'ActivityRecorded', 'ReferralRegistered')
      GROUP BY 1 HAVING count(*) > 1
     UNION ALL
     SELECT 'credit Issued ' || product_subsidiary || ' ' || policy_no, count(DISTINCT transaction_id) FROM coordination.credit_lines
      WHERE transaction_kind = 'Issued' GROUP BY product_subsidiary, policy_no HAVING count(DISTINCT transaction_id) > 1`,
  );
  return rows.map((r) => `${r.k}: ${r.n}`);
}

async function scalarCounts(client: Pg) {
  const { rows } = await client.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM coordination.parked_events) AS parked,
            (SELECT count(*) FROM coordination.dead_letters) AS dead_letters,
            (SELECT count(*) FROM coordination.party_links) AS party_links,
            (SELECT count(*) FROM coordination.client_view) AS client_views,
            (SELECT count(DISTINCT party_id) FROM coordination.party_links
              WHERE party_id NOT IN (SELECT from_party_id FROM coordination.party_redirects)) AS parties`,
  );
  const r = rows[0];
  return {
    parked: Number(r.parked), deadLetters: Number(r.dead_letters), partyLinks: Number(r.party_links),
    clientViews: Number(r.client_views), parties: Number(r.parties),
  };
}

/** The assertions every fault test makes on an EffectsReport, as one comparable object. */
export function effectsVerdict(report: EffectsReport, acceptedClients: number) {
  return {
    unprocessed: report.unprocessed,
    wrongCounts: report.wrongCounts.slice(0, 10),
    doubled: report.doubled.slice(0, 10),
    strangers: report.strangers,
    duplicateKeys: report.duplicateKeys.slice(0, 10),
    parked: report.parked,
    partyLinksEqualAcceptedClients: report.partyLinks === acceptedClients,
    oneClientViewPerParty: report.clientViews === report.parties,
  };
}

export const CLEAN_VERDICT = {
  unprocessed: 0, wrongCounts: [], doubled: [], strangers: 0, duplicateKeys: [], parked: 0,
  partyLinksEqualAcceptedClients: true, oneClientViewPerParty: true,
};
