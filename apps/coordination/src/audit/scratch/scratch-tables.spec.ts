import { createScratchSql, keyColumns, scratchNameOf, scratchTarget } from './scratch-tables';

const projection = {
  name: 'client-view',
  tables: [
    { name: 'coordination.client_view', primaryKey: 'party_id' },
    { name: 'coordination.client_lookup', primaryKey: 'subsidiary, local_id' },
  ],
};

describe('scratch tables', () => {
  it('given a live table, then its shadow sits beside it and its temp copy lives in pg_temp', () => {
    expect(scratchNameOf('shadow', 'coordination.client_view')).toBe('coordination.client_view_rebuild');
    expect(scratchNameOf('temp', 'coordination.client_view')).toBe('pg_temp.scratch_coordination__client_view');
  });

  it('given a projection, then the target maps each declared table and refuses any other', () => {
    const target = scratchTarget('shadow', projection);
    expect(target.tableOf('coordination.client_lookup')).toBe('coordination.client_lookup_rebuild');
    expect(() => target.tableOf('coordination.party_links')).toThrow(/does not declare/);
  });

  it.each(['client_view', 'Coordination.x', 'coordination.x;drop table y', 'a.b.c'])(
    'given the table name %s, then it is refused before reaching SQL',
    (name) => {
      expect(() => scratchNameOf('shadow', name)).toThrow(/schema-qualified/);
    },
  );

  it('given a name that would exceed 63 characters, then it is refused rather than silently truncated by PostgreSQL', () => {
    expect(() => scratchNameOf('shadow', `coordination.${'x'.repeat(60)}`)).toThrow(/63/);
  });

  it('given primary keys, then columns are split and checked', () => {
    expect(keyColumns('subsidiary, local_id')).toEqual(['subsidiary', 'local_id']);
    expect(() => keyColumns('id; delete')).toThrow(/column names/);
  });

  it('given a temp target, then the tables are created as session temporaries', () => {
    expect(createScratchSql(scratchTarget('temp', projection))).toEqual([
      'DROP TABLE IF EXISTS pg_temp.scratch_coordination__client_view',
      'CREATE TEMP TABLE scratch_coordination__client_view (LIKE coordination.client_view INCLUDING ALL)',
      'DROP TABLE IF EXISTS pg_temp.scratch_coordination__client_lookup',
      'CREATE TEMP TABLE scratch_coordination__client_lookup (LIKE coordination.client_lookup INCLUDING ALL)',
    ]);
  });
});
