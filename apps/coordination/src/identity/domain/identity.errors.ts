/** Stable codes: the HTTP filter maps them (409 for illegal state, 404 for unknown). */
export enum IdentityErrorCode {
  PartyAlreadyRegistered = 'IDENTITY_PARTY_ALREADY_REGISTERED',
  PartyNotFound = 'IDENTITY_PARTY_NOT_FOUND',
  PartyMerged = 'IDENTITY_PARTY_MERGED',
  PartyNotMerged = 'IDENTITY_PARTY_NOT_MERGED',
  LinkAlreadyOnParty = 'IDENTITY_LINK_ALREADY_ON_PARTY',
  LinkOwnedByOtherParty = 'IDENTITY_LINK_OWNED_BY_OTHER_PARTY',
  LinkNotOnParty = 'IDENTITY_LINK_NOT_ON_PARTY',
  KindMismatch = 'IDENTITY_KIND_MISMATCH',
  SelfMerge = 'IDENTITY_SELF_MERGE',
  MergeNotFound = 'IDENTITY_MERGE_NOT_FOUND',
  MergeAlreadyUndone = 'IDENTITY_MERGE_ALREADY_UNDONE',
  ReviewAlreadyOpen = 'IDENTITY_REVIEW_ALREADY_OPEN',
  ReviewNotOpen = 'IDENTITY_REVIEW_NOT_OPEN',
  InvalidThresholds = 'IDENTITY_INVALID_THRESHOLDS',
}

export class IdentityDomainError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityDomainError';
  }
}

export const identityError = (code: IdentityErrorCode, message: string): IdentityDomainError =>
  new IdentityDomainError(code, message);
