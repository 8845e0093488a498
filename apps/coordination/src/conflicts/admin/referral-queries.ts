import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { referralPipeline, REFERRAL_STAGES, type ReferralPipeline, type ReferralStage } from '../domain';
import { REFERRAL_VIEW } from '../projections/referrals.projection';

export interface ReferralFilter {
  partyId?: string;
  status?: ReferralStage;
  productLine?: string;
  productSubsidiary?: string;
  referringSubsidiary?: string;
  agentId?: string;
  /** A subsidiary principal sees only referrals its subsidiary is party to (either side). */
  visibleTo?: string;
}

const COLUMN: Record<Exclude<keyof ReferralFilter, 'visibleTo'>, string> = {
  partyId: 'party_id',
  status: 'status',
  productLine: 'product_line',
  productSubsidiary: 'product_subsidiary',
  referringSubsidiary: 'referring_subsidiary',
  agentId: 'referring_agent_id',
};

function where(filter: ReferralFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [key, column] of Object.entries(COLUMN) as Array<[keyof typeof COLUMN, string]>) {
    if (filter[key] === undefined) continue;
    params.push(filter[key]);
    clauses.push(`${column} = $${params.length}`);
  }
  if (filter.visibleTo) {
    params.push(filter.visibleTo);
    clauses.push(`(referring_subsidiary = $${params.length} OR product_subsidiary = $${params.length})`);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

interface Row {
  referral_id: string; party_id: string; product_line: string; product_subsidiary: string; referring_subsidiary: string;
  referring_agent_id: string; referring_channel: string; status: ReferralStage; registered_at: Date; window_ends_at: Date;
  accepted_by: string | null; accepted_at: Date | null; quoted_price: string | null; quote_currency: string | null;
  quoted_at: Date | null; policy_no: string | null; linked_by: string | null; lost_reason: string | null; closed_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function present(r: Row) {
  return {
    referralId: r.referral_id,
    partyId: r.party_id,
    productLine: r.product_line,
    productSubsidiary: r.product_subsidiary,
    referrer: { subsidiary: r.referring_subsidiary, agentId: r.referring_agent_id, channel: r.referring_channel },
    status: r.status,
    registeredAt: r.registered_at.toISOString(),
    windowEndsAt: r.window_ends_at.toISOString(),
    acceptedBy: r.accepted_by,
    acceptedAt: iso(r.accepted_at),
    quote: r.quoted_price ? { price: r.quoted_price, currency: r.quote_currency, quotedAt: iso(r.quoted_at) } : null,
    policyNo: r.policy_no,
    linkedBy: r.linked_by,
    lostReason: r.lost_reason,
    closedAt: iso(r.closed_at),
  };
}

/** GET /v1/referrals and the pipeline, over the referrals read model. */
@Injectable()
export class ReferralQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: ReferralFilter, page: { limit: number; offset: number }) {
    const { sql, params } = where(filter);
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM ${REFERRAL_VIEW} ${sql}`, params);
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM ${REFERRAL_VIEW} ${sql} ORDER BY registered_at DESC, referral_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    );
    return { items: rows.map(present), total, limit: page.limit, offset: page.offset };
  }

  async pipeline(filter: Omit<ReferralFilter, 'status'>): Promise<ReferralPipeline> {
    const { sql, params } = where(filter);
    const rows: Array<{ status: ReferralStage; n: number }> = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM ${REFERRAL_VIEW} ${sql} GROUP BY status`,
      params,
    );
    // The domain aggregates a list; one shared object per stage keeps that list cheap.
    const counts = new Map(rows.map((r) => [r.status, r.n]));
    const referrals = REFERRAL_STAGES.flatMap((status) => new Array<{ status: ReferralStage }>(counts.get(status) ?? 0).fill({ status }));
    return referralPipeline(referrals);
  }
}
