/** The review queue as an inline table: written with the review stream's events, read by the admin API. */
import type { EntityManager } from 'typeorm';
import type { MatchEvidence, MatchReviewEvent } from '../domain';

export type ReviewStatus = 'open' | 'approved' | 'rejected';

export interface MatchReviewRow {
  reviewId: string;
  status: ReviewStatus;
  candidate: { subsidiary: string; localId: string };
  partyId: string;
  score: number;
  evidence: MatchEvidence[];
  openedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string | null;
}

/** Mirrors one review event into the table (idempotent: replays change nothing). */
export async function recordReviewEvent(manager: EntityManager, event: MatchReviewEvent): Promise<void> {
  if (event.type === 'MatchReviewOpened') {
    const d = event.data;
    await manager.query(
      `INSERT INTO coordination.match_reviews (review_id, status, candidate_subsidiary, candidate_local_id, party_id, score, evidence, opened_at)
       VALUES ($1, 'open', $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT (review_id) DO NOTHING`,
      [d.reviewId, d.candidate.subsidiary, d.candidate.localId, d.partyId, d.score, JSON.stringify(d.evidence), d.openedAt],
    );
    return;
  }
  const d = event.data;
  await manager.query(
    `UPDATE coordination.match_reviews SET status = $2, resolved_at = $3, resolved_by = $4, note = $5 WHERE review_id = $1`,
    [d.reviewId, d.resolution, d.resolvedAt, d.actor, d.note],
  );
}

const COLUMNS = `review_id AS "reviewId", status, json_build_object('subsidiary', candidate_subsidiary, 'localId', candidate_local_id) AS candidate,
  party_id AS "partyId", score, evidence, opened_at AS "openedAt", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy", note`;

export async function listReviews(manager: EntityManager, status: ReviewStatus | null, limit: number): Promise<MatchReviewRow[]> {
  return manager.query(
    `SELECT ${COLUMNS} FROM coordination.match_reviews WHERE ($1::text IS NULL OR status = $1) ORDER BY opened_at, review_id LIMIT $2`,
    [status, limit],
  );
}

export async function findReview(manager: EntityManager, reviewId: string): Promise<MatchReviewRow | null> {
  const rows: MatchReviewRow[] = await manager.query(`SELECT ${COLUMNS} FROM coordination.match_reviews WHERE review_id = $1`, [reviewId]);
  return rows[0] ?? null;
}

/** True while the same pairing already waits for a person (updates must not queue it again). */
export async function hasOpenReview(manager: EntityManager, candidate: { subsidiary: string; localId: string }, partyId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM coordination.match_reviews
      WHERE status = 'open' AND candidate_subsidiary = $1 AND candidate_local_id = $2 AND party_id = $3 LIMIT 1`,
    [candidate.subsidiary, candidate.localId, partyId],
  );
  return rows.length > 0;
}
