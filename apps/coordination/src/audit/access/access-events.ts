/**
 * The audit trail of reads, as events. Pure: names and shapes only, no I/O.
 * Reads of the audit API go to one stream per UTC day, so a day's trail is one stream
 * read and no stream grows without bound; identity records 360° reads per party.
 */
export const AUDIT_ACCESS_STREAM_PREFIX = 'audit-access-';
export const PARTY_ACCESS_STREAM_PREFIX = 'party-access-';
export const AUDIT_READ = 'AuditRead';
export const CLIENT_VIEW_READ = 'ClientViewRead';

export interface AuditReadData {
  principal: string;
  roles: string[];
  path: string;
  query: Record<string, unknown>;
  at: string;
}

/** `<prefix><yyyy-mm-dd>` of the UTC day of `at`. */
export const dailyStream = (prefix: string, at: Date): string => `${prefix}${at.toISOString().slice(0, 10)}`;

const AUDIT_CLIENT_PATH = /^\/v1\/audit\/clients\/([^/?#]+)\/?$/;

/** The party an audit read was about, when its path names one (the as-of client view). */
export function partyIdOfAuditPath(path: string): string | null {
  const match = AUDIT_CLIENT_PATH.exec(path);
  return match ? safeDecode(match[1]) : null;
}

/** `party-access-<partyId>` names the party whose 360° view was read. */
export function partyIdOfAccessStream(streamId: string): string | null {
  if (!streamId.startsWith(PARTY_ACCESS_STREAM_PREFIX)) return null;
  const id = streamId.slice(PARTY_ACCESS_STREAM_PREFIX.length);
  return id.length > 0 ? id : null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
