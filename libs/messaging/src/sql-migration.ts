import type { MigrationInterface, QueryRunner } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/**
 * A TypeORM migration class made of plain SQL statements. TypeORM identifies a
 * migration by its `name` and orders by the 13-digit timestamp at its end, so each
 * schema gets its own name and the same statements can be applied to many schemas.
 */
export function sqlMigration(name: string, up: string[], down: string[]): MigrationClass {
  if (!/\d{13}$/.test(name)) throw new Error(`migration name "${name}" must end in a 13-digit timestamp`);
  return class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of up) await queryRunner.query(statement);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const statement of down) await queryRunner.query(statement);
    }
  };
}
