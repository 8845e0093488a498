import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History rows a hand-out judged again invalidates (`superseded`): an earlier hand-out of the same
 * termination, and a later hand-out of the policy by an agent who, as business order now has it, no
 * longer serviced it then (the leaver's successor's own termination, a coordinator's reassignment of
 * the successor's book). Readers count standing rows only. Rows kept before the column existed: a
 * termination's hand-out replaced by a later-recorded one of the same termination (its judgement
 * again) is marked; the readers already took the later one, so nothing they answer changes.
 */
export class CreditServicingSuperseded1767330000500 implements MigrationInterface {
  name = 'CreditServicingSuperseded1767330000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.credit_servicing_history ADD COLUMN IF NOT EXISTS superseded boolean NOT NULL DEFAULT false');
    await q.query(`UPDATE coordination.credit_servicing_history h SET superseded = true
      WHERE NOT h.superseded AND h.from_agent_id IS NOT NULL AND h.rule IS NOT NULL AND h.rule <> 'renewal'
        AND EXISTS (SELECT 1 FROM coordination.credit_servicing_history l
                     WHERE l.subsidiary = h.subsidiary AND l.policy_no = h.policy_no AND l.from_agent_id = h.from_agent_id
                       AND l.effective_date = h.effective_date AND l.rule = h.rule AND l.seq > h.seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.credit_servicing_history DROP COLUMN superseded');
  }
}
