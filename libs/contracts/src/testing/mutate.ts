/** Test helper: a deep copy of `value` with the dotted `path` set (or deleted when `to` is DELETE). */
export const DELETE = Symbol('delete');

export function mutate<T>(value: T, path: string, to: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (to === DELETE) delete node[last];
  else node[last] = to;
  return copy as T;
}
