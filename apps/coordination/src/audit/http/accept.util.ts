interface Preference {
  q: number;
  /** 2 for type/subtype, 1 for type/*, 0 for *\/*. */
  specificity: number;
  /** Position of the range in the header. */
  position: number;
}

const NDJSON = 'application/x-ndjson';
const JSON_TYPE = 'application/json';

/** How the Accept header ranks a media type: its most specific matching range, or null. */
function preference(accept: string, type: string): Preference | null {
  let best: Preference | null = null;
  accept.split(',').forEach((part, position) => {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const specificity = range === type ? 2 : range === `${type.split('/')[0]}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (specificity < 0 || (best && best.specificity > specificity)) return;
    const q = params.find((p) => p.startsWith('q='));
    best = { q: q ? Number(q.slice(2)) || 0 : 1, specificity, position };
  });
  return best;
}

/**
 * Whether a client asks for NDJSON rather than JSON, as express's `req.accepts([json, ndjson])`
 * decided: higher q wins, then the more specific range, then the earlier one; JSON on a tie.
 */
export function prefersNdjson(accept: string | undefined): boolean {
  if (!accept) return false;
  const ndjson = preference(accept, NDJSON);
  const json = preference(accept, JSON_TYPE);
  if (!ndjson || ndjson.q <= 0) return false;
  if (!json || json.q <= 0) return true;
  if (ndjson.q !== json.q) return ndjson.q > json.q;
  if (ndjson.specificity !== json.specificity) return ndjson.specificity > json.specificity;
  return ndjson.position < json.position;
}
