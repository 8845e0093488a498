import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * event_store.append_batch: several streams' appends in one call, with the same result as
 * calling append_to_stream for each entry in input order, but set-based in the common case
 * (every stream once, every event id new and distinct): a handful of statements for the whole
 * batch instead of six per entry. Group-committed appends (one small event on each of many
 * streams, e.g. the 360° view's access events) spent most of their time in that per-entry work.
 *   1. every stream's advisory lock, in one sorted pass (lock_streams), before any write;
 *   2. anything else (a stream twice, an event id repeated or already stored, an entry with no
 *      events) goes through append_to_stream entry by entry, which handles those cases;
 *   3. the stream rows are created if missing, locked (sorted) and read once by key;
 *   4. every expectation is checked (ES001 names the first failing entry in input order), then
 *      the $all order rule (ES002), before anything is written;
 *   5. one INSERT writes every event, in input order (so $all holds the batch in input order),
 *      with dense revisions; one UPDATE advances the streams.
 * Rows come back tagged with their entry (b_ord) and place in it (b_n).
 */
export const APPEND_BATCH_FUNCTION_SQL = `
CREATE FUNCTION event_store.append_batch(p_batch jsonb)
RETURNS TABLE (b_ord integer, b_n integer, b_tx_id xid8, b_global_position bigint, b_current_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_streams text[];
  v_ids text[];
  v_tx xid8;
  v_locked text[];
  v_revisions bigint[];
  v_last_tx xid8[];
  v_bad record;
  v_entry record;
BEGIN
  v_streams := ARRAY(SELECT x.value->>'s' FROM jsonb_array_elements(p_batch) AS x(value));
  PERFORM event_store.lock_streams(v_streams);
  v_ids := ARRAY(SELECT y.value->>'i' FROM jsonb_array_elements(p_batch) AS x(value), jsonb_array_elements(x.value->'e') AS y(value));

  IF cardinality(v_streams) <> (SELECT count(DISTINCT u.id) FROM unnest(v_streams) AS u(id))
     OR cardinality(v_ids) <> (SELECT count(DISTINCT u.id) FROM unnest(v_ids) AS u(id))
     OR EXISTS (SELECT 1 FROM jsonb_array_elements(p_batch) AS x(value) WHERE jsonb_array_length(x.value->'e') = 0)
     OR EXISTS (SELECT 1 FROM event_store.events e WHERE e.event_id = ANY (v_ids)) THEN
    FOR v_entry IN SELECT x.value AS v, x.ord FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS x(value, ord) ORDER BY x.ord LOOP
      RETURN QUERY
        SELECT v_entry.ord::integer, r.n::integer, r.o_tx_id, r.o_global_position, r.o_current_revision
          FROM event_store.append_to_stream(v_entry.v->>'s', v_entry.v->>'k', (v_entry.v->>'r')::bigint, v_entry.v->'e')
               WITH ORDINALITY AS r(o_event_id, o_stream_id, o_stream_revision, o_tx_id, o_global_position, o_duplicate, o_current_revision, n);
    END LOOP;
    RETURN;
  END IF;

  INSERT INTO event_store.streams AS s (stream_id, revision)
    SELECT u.id, -1 FROM unnest(v_streams) AS u(id) ORDER BY u.id
    ON CONFLICT (stream_id) DO NOTHING;
  -- The locked rows, read once by key into arrays: joined with the batch in memory below, so
  -- no plan ever scans streams (jsonb_array_elements gives the planner no row count).
  SELECT array_agg(l.stream_id ORDER BY l.stream_id), array_agg(l.revision ORDER BY l.stream_id), array_agg(l.last_tx_id ORDER BY l.stream_id)
    INTO v_locked, v_revisions, v_last_tx
    FROM (SELECT s.stream_id, s.revision, s.last_tx_id FROM event_store.streams s
           WHERE s.stream_id = ANY (v_streams) ORDER BY s.stream_id FOR UPDATE) l;

  SELECT x.value->>'s' AS stream_id, x.value->>'k' AS kind, x.value->>'r' AS expected, c.revision AS actual INTO v_bad
    FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS x(value, ord)
    JOIN unnest(v_locked, v_revisions) AS c(stream_id, revision) ON c.stream_id = x.value->>'s'
   WHERE NOT (CASE x.value->>'k'
                WHEN 'any' THEN true
                WHEN 'no_stream' THEN c.revision = -1
                WHEN 'stream_exists' THEN c.revision >= 0
                WHEN 'exact' THEN c.revision = (x.value->>'r')::bigint
                ELSE false
              END)
   ORDER BY x.ord LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'wrong expected revision on stream %', v_bad.stream_id USING
      ERRCODE = 'ES001',
      DETAIL = json_build_object('streamId', v_bad.stream_id, 'expectedKind', v_bad.kind,
                                 'expectedRevision', v_bad.expected, 'actual', v_bad.actual::text)::text;
  END IF;

  v_tx := pg_current_xact_id();
  SELECT c.stream_id, c.last_tx_id INTO v_bad
    FROM unnest(v_locked, v_last_tx) AS c(stream_id, last_tx_id) WHERE c.last_tx_id > v_tx ORDER BY c.stream_id LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'stream % was appended by a younger transaction; retry', v_bad.stream_id USING
      ERRCODE = 'ES002',
      DETAIL = json_build_object('streamId', v_bad.stream_id, 'lastTxId', v_bad.last_tx_id::text, 'txId', v_tx::text)::text;
  END IF;

  v_revisions := ARRAY(
    SELECT c.revision + jsonb_array_length(x.value->'e')
      FROM unnest(v_locked, v_revisions) WITH ORDINALITY AS c(stream_id, revision, i)
      JOIN jsonb_array_elements(p_batch) AS x(value) ON x.value->>'s' = c.stream_id
     ORDER BY c.i);

  RETURN QUERY
    WITH fresh AS MATERIALIZED (
      SELECT x.ord, y.n, c.stream_id, c.after - jsonb_array_length(x.value->'e') + y.n AS revision, c.after, y.value AS ev
        FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS x(value, ord)
        JOIN unnest(v_locked, v_revisions) AS c(stream_id, after) ON c.stream_id = x.value->>'s',
             jsonb_array_elements(x.value->'e') WITH ORDINALITY AS y(value, n)
    ), inserted AS (
      INSERT INTO event_store.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
      SELECT f.ev->>'i', f.stream_id, f.revision, f.ev->>'t', (f.ev->>'v')::integer, f.ev->'d', f.ev->'m'
        FROM fresh f ORDER BY f.ord, f.n
      RETURNING event_id, tx_id, global_position
    )
    SELECT f.ord::integer, f.n::integer, ins.tx_id, ins.global_position, f.after
      FROM fresh f JOIN inserted ins ON ins.event_id = f.ev->>'i'
     ORDER BY f.ord, f.n;

  UPDATE event_store.streams AS s SET revision = c.after, last_tx_id = v_tx
    FROM unnest(v_locked, v_revisions) AS c(stream_id, after)
   WHERE s.stream_id = ANY (v_locked) AND s.stream_id = c.stream_id;
END
$fn$`;

export class EventStoreAppendBatch1767225600200 implements MigrationInterface {
  name = 'EventStoreAppendBatch1767225600200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(APPEND_BATCH_FUNCTION_SQL);
    // As for append_to_stream: a generic plan made while `events` was small would look event ids up by a full scan.
    await q.query('ALTER FUNCTION event_store.append_batch(jsonb) SET plan_cache_mode = force_custom_plan');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION event_store.append_batch(jsonb)');
  }
}
