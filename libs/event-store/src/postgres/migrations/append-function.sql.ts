/**
 * Appending is one function call so that every rule is enforced in SQL, in one round
 * trip, inside whatever transaction the caller runs:
 * 1. lock the stream (advisory lock, then its row, created as revision -1 = "no stream");
 * 2. events whose eventId is already stored are not written again: they report their
 *    original row (idempotent retries); if nothing is new the call is a no-op;
 * 3. check the expected state against the locked revision (SQLSTATE ES001);
 * 4. refuse to put a stream out of order on $all: $all is ordered by transaction id, so
 *    a transaction whose id is older than the stream's last writer must retry (ES002);
 * 5. insert the new events with dense revisions and advance the stream row.
 * The events arrive as one JSON array of {i: eventId, t: type, v: schemaVersion, d: data,
 * m: metadata}: one parse on the server, no array-literal escaping on the client.
 * Rows come back in input order; the caller turns (tx_id, global_position) into positions.
 */
export const APPEND_FUNCTION_SQL = `
CREATE FUNCTION event_store.append_to_stream(
  p_stream_id text,
  p_expected_kind text,
  p_expected_revision bigint,
  p_events jsonb
) RETURNS TABLE (
  o_event_id text, o_stream_id text, o_stream_revision bigint, o_tx_id xid8,
  o_global_position bigint, o_duplicate boolean, o_current_revision bigint
) LANGUAGE plpgsql AS $fn$
DECLARE
  v_current bigint;
  v_last_tx xid8;
  v_tx xid8;
  v_ids text[];
  v_stored text[];
  v_new integer;
BEGIN
  -- An advisory lock first: it takes no transaction id, so a writer's id is assigned only
  -- once it holds the stream, and ids follow the order in which writers got the stream.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
  SELECT s.revision, s.last_tx_id INTO v_current, v_last_tx
    FROM event_store.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO event_store.streams AS s (stream_id, revision) VALUES (p_stream_id, -1)
      ON CONFLICT (stream_id) DO NOTHING;
    SELECT s.revision, s.last_tx_id INTO v_current, v_last_tx
      FROM event_store.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
  END IF;

  v_ids := ARRAY(SELECT x.value->>'i' FROM jsonb_array_elements(p_events) AS x(value));
  v_stored := ARRAY(SELECT e.event_id FROM event_store.events e WHERE e.event_id = ANY (v_ids));
  v_new := cardinality(v_ids) - cardinality(v_stored);
  IF v_new = 0 THEN
    RETURN QUERY
      SELECT e.event_id, e.stream_id, e.stream_revision, e.tx_id, e.global_position, true, v_current
        FROM unnest(v_ids) WITH ORDINALITY AS i(event_id, ord)
        JOIN event_store.events e ON e.event_id = i.event_id
       ORDER BY i.ord;
    RETURN;
  END IF;

  IF NOT (CASE p_expected_kind
            WHEN 'any' THEN true
            WHEN 'no_stream' THEN v_current = -1
            WHEN 'stream_exists' THEN v_current >= 0
            WHEN 'exact' THEN v_current = p_expected_revision
            ELSE false
          END) THEN
    RAISE EXCEPTION 'wrong expected revision on stream %', p_stream_id USING
      ERRCODE = 'ES001',
      DETAIL = json_build_object('streamId', p_stream_id, 'expectedKind', p_expected_kind,
                                 'expectedRevision', p_expected_revision::text, 'actual', v_current::text)::text;
  END IF;

  v_tx := pg_current_xact_id();
  IF v_last_tx > v_tx THEN
    RAISE EXCEPTION 'stream % was appended by a younger transaction; retry', p_stream_id USING
      ERRCODE = 'ES002',
      DETAIL = json_build_object('streamId', p_stream_id, 'lastTxId', v_last_tx::text, 'txId', v_tx::text)::text;
  END IF;

  IF cardinality(v_stored) = 0 THEN
    -- The common case, kept free of joins: every event is new.
    RETURN QUERY
      WITH inserted AS (
        INSERT INTO event_store.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
        SELECT x.value->>'i', p_stream_id, v_current + x.ord, x.value->>'t', (x.value->>'v')::integer, x.value->'d', x.value->'m'
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(value, ord) ORDER BY x.ord
        RETURNING event_id, stream_revision, tx_id, global_position
      )
      SELECT ins.event_id, p_stream_id, ins.stream_revision, ins.tx_id, ins.global_position, false, v_current + v_new
        FROM inserted ins ORDER BY ins.stream_revision;
  ELSE
    RETURN QUERY
      WITH input AS (
        SELECT x.value, x.ord FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(value, ord)
      ), fresh AS (
        SELECT i.value, i.ord, row_number() OVER (ORDER BY i.ord) AS n
          FROM input i WHERE (i.value->>'i') <> ALL (v_stored)
      ), inserted AS (
        INSERT INTO event_store.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
        SELECT f.value->>'i', p_stream_id, v_current + f.n, f.value->>'t', (f.value->>'v')::integer, f.value->'d', f.value->'m'
          FROM fresh f ORDER BY f.n
        RETURNING event_id, stream_revision, tx_id, global_position
      )
      SELECT i.value->>'i', COALESCE(e.stream_id, p_stream_id), COALESCE(ins.stream_revision, e.stream_revision),
             COALESCE(ins.tx_id, e.tx_id), COALESCE(ins.global_position, e.global_position),
             ins.event_id IS NULL, v_current + v_new
        FROM input i
        LEFT JOIN inserted ins ON ins.event_id = i.value->>'i'
        LEFT JOIN event_store.events e ON e.event_id = i.value->>'i'
       ORDER BY i.ord;
  END IF;

  UPDATE event_store.streams SET revision = v_current + v_new, last_tx_id = v_tx
   WHERE stream_id = p_stream_id;
END
$fn$`;

/**
 * appendMany takes every stream's lock in one sorted pass first, so two batches that
 * share streams wait for each other instead of deadlocking.
 */
export const LOCK_STREAMS_FUNCTION_SQL = `
CREATE FUNCTION event_store.lock_streams(p_stream_ids text[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(k.key)
     FROM (SELECT DISTINCT hashtextextended(id, 0) AS key FROM unnest(p_stream_ids) AS u(id)) k
    ORDER BY k.key;
END
$fn$`;
