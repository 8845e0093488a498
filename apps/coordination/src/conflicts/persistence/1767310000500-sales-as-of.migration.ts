import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sales judged by business time: the conflicts of a party and line are read whole (keyed,
 * recorded before keys, standing or not) on every registration and sale of that party, so the
 * index covers every row, not only the keyed ones it replaces.
 */
export class ConflictsSalesAsOf1767310000500 implements MigrationInterface {
  name = 'ConflictsSalesAsOf1767310000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX conflict_index_party_line ON coordination.conflict_index (party_id, product_line)');
    await q.query('DROP INDEX coordination.conflict_index_scope');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX conflict_index_scope ON coordination.conflict_index (party_id, product_line) WHERE conflict_key IS NOT NULL`);
    await q.query('DROP INDEX coordination.conflict_index_party_line');
  }
}
