import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 360° view's folded policies (coordination.client_view_policies) keep every term and every
 * endorsement by business date, and derive the current premium from them: the latest term's
 * premium changed by the endorsements dated inside it (see policy-fold.ts). Rows folded before kept
 * only the premium as the reports arrived; this fills their terms and endorsements from the policy
 * streams' recorded events (a term reported twice keeps its last report; endorsements keyed by event,
 * so the projection folding one of them again after this counts it once) and derives their current
 * figures from them. The views themselves (coordination.client_view) are rendered again when an event
 * next touches their party, or all at once by the audit rebuild (`npm run replay -- --projection
 * client-view --swap`).
 */
export class ClientViewPolicyTerms1767300100002 implements MigrationInterface {
  name = 'ClientViewPolicyTerms1767300100002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE coordination.client_view_policies v SET policy = v.policy || jsonb_build_object(
      'terms', (SELECT COALESCE(jsonb_agg(t.term ORDER BY t.start), '[]') FROM (
          SELECT DISTINCT ON (1) CASE e.type WHEN 'PolicyRecorded' THEN e.data->>'effectiveDate' ELSE e.data->>'newEffectiveDate' END AS start,
                 jsonb_build_object(
                   'effectiveDate', CASE e.type WHEN 'PolicyRecorded' THEN e.data->'effectiveDate' ELSE e.data->'newEffectiveDate' END,
                   'expiryDate', CASE e.type WHEN 'PolicyRecorded' THEN e.data->'expiryDate' ELSE e.data->'newExpiryDate' END,
                   'premium', e.data->'premium', 'standardPremium', COALESCE(e.data->'standardPremium', 'null')) AS term
            FROM event_store.events e
           WHERE e.stream_id = 'policy-' || v.subsidiary || '-' || v.policy_no AND e.type IN ('PolicyRecorded', 'PolicyRenewalRecorded')
           ORDER BY 1, e.global_position DESC) t),
      'endorsements', (SELECT COALESCE(jsonb_agg(jsonb_build_object('eventId', e.event_id, 'effectiveDate', e.data->'effectiveDate',
            'premiumDelta', e.data->'premiumDelta', 'standardPremiumDelta', COALESCE(e.data->'standardPremiumDelta', 'null'))
            ORDER BY e.data->>'effectiveDate' COLLATE "C", e.event_id COLLATE "C"), '[]')
          FROM event_store.events e
         WHERE e.stream_id = 'policy-' || v.subsidiary || '-' || v.policy_no AND e.type = 'PolicyEndorsementRecorded'))`);
    // The current figures: the latest term, changed by the endorsements dated inside it (both ends inclusive).
    await q.query(`WITH latest AS (
        SELECT v.subsidiary, v.policy_no, c.term,
               (SELECT COALESCE(sum((e->>'premiumDelta')::numeric), 0) FROM jsonb_array_elements(v.policy->'endorsements') e
                 WHERE e->>'effectiveDate' BETWEEN c.term->>'effectiveDate' AND c.term->>'expiryDate') AS premium_delta,
               (SELECT COALESCE(sum((e->>'standardPremiumDelta')::numeric), 0) FROM jsonb_array_elements(v.policy->'endorsements') e
                 WHERE e->>'effectiveDate' BETWEEN c.term->>'effectiveDate' AND c.term->>'expiryDate') AS standard_delta
          FROM coordination.client_view_policies v
         CROSS JOIN LATERAL (SELECT t AS term FROM jsonb_array_elements(v.policy->'terms') t ORDER BY t->>'effectiveDate' DESC LIMIT 1) c)
      UPDATE coordination.client_view_policies v SET policy = v.policy || jsonb_build_object(
        'effectiveDate', l.term->'effectiveDate', 'expiryDate', l.term->'expiryDate',
        'premium', jsonb_set(l.term->'premium', '{amount}', to_jsonb(((l.term->'premium'->>'amount')::numeric + l.premium_delta)::numeric(18,2)::text)),
        'standardPremium', CASE WHEN jsonb_typeof(l.term->'standardPremium') = 'null' THEN 'null'::jsonb
                                ELSE to_jsonb(((l.term->>'standardPremium')::numeric + l.standard_delta)::numeric(18,2)::text) END)
        FROM latest l WHERE l.subsidiary = v.subsidiary AND l.policy_no = v.policy_no`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE coordination.client_view_policies SET policy = policy - 'terms' - 'endorsements'`);
  }
}
