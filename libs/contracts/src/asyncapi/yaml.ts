/**
 * A minimal YAML emitter for JSON data (no dependency): block style for objects
 * and arrays, every string double-quoted with JSON escapes, which YAML 1.2 reads
 * identically. Enough for generated documents; not a general YAML library.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$.-]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k);
}

function isBlock(v: Json): v is Json[] | { [key: string]: Json } {
  return typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

function inline(v: Json): string {
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'object' && v !== null) return '{}';
  if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError('YAML emitter: non-finite number');
  return JSON.stringify(v);
}

/** Multi-line prose reads better as a literal block; only when it round-trips exactly. */
function literal(v: string, indent: number): string[] | null {
  if (!v.includes('\n') || v.endsWith('\n') || /^\s/.test(v) || /[^\S\n ]|[\x00-\x08\x7f]| \n| $/.test(v)) return null;
  const pad = ' '.repeat(indent);
  return v.split('\n').map((line) => (line ? pad + line : ''));
}

function entry(k: string, value: Json, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (isBlock(value)) return [`${pad}${key(k)}:`, ...block(value, indent + 2)];
  const lines = typeof value === 'string' ? literal(value, indent + 2) : null;
  return lines ? [`${pad}${key(k)}: |-`, ...lines] : [`${pad}${key(k)}: ${inline(value)}`];
}

function block(v: Json[] | { [key: string]: Json }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if (!isBlock(item)) return [`${pad}- ${inline(item)}`];
      const [first, ...rest] = block(item, indent + 2);
      return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
    });
  }
  return Object.entries(v).flatMap(([k, value]) => entry(k, value, indent));
}

export function toYaml(value: unknown): string {
  const json = JSON.parse(JSON.stringify(value)) as Json;
  return (isBlock(json) ? block(json, 0) : [inline(json)]).join('\n') + '\n';
}
