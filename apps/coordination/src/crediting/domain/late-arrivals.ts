/**
 * Facts that arrive after later-dated ones the ledger holds: a renewal or endorsement placed before a
 * termination recorded first, a termination arriving after endorsements dated after it, endorsements a
 * term's renewal or a reinstatement reads again. Each is answered with the lines business order posts.
 */
import { CreditLine } from './credit-line';
import { CreditingError } from './errors';
import {
  PolicyCreditState, endorsementsReadAgainstAnotherTerm, endsEarlierTerm, laterTerminationOfSpan, placedBefore, reinstatementBeforeRepeat,
  terminationBeforeKept, withEarlierTermination, withTransactions,
} from './policy-credit-state';
import { arrivalLines, linesUnderRules, notAllowed, replayPolicy, transactionLines } from './policy-engine';
import { belongsBeforeTermination, endorsementsAfterTermination, endorsementsEndedBy, lateIndex, withLate } from './late-placement';
import { PolicyTransaction, isTermination } from './policy-transaction';
import { Recalculation, changes, recalculate, repricedField } from './recalculation';
import { CreditAdjusted, LedgerEvent, WithdrawnEndorsement } from './ledger.events';
import { CreditContext } from './credit-lines';
import { evolve } from './ledger.evolve';

/**
 * The refused endorsements dated on or after a reinstatement (up to a day, `until`, when a cancellation or lapse ends
 * the policy again then, see repeatedTerminationAfter), credited now the policy is in force again: in business order
 * they came after it (one withdrawn by a termination dated before it that arrived after it, see
 * withdrawEndorsementsAfter); nothing for those the rules refuse still.
 */
export function creditRefusedFrom(state: PolicyCreditState, reinstatement: PolicyTransaction, context: CreditContext, until = '9999-12-31'): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  let s = state;
  for (const endorsement of [...state.refused.values()].filter((e) => e.effectiveDate >= reinstatement.effectiveDate && e.effectiveDate <= until)) {
    const credited = creditRefused(endorsement, s, context, reinstatement);
    events.push(...credited);
    s = credited.reduce(evolve, s);
  }
  return events;
}

/**
 * Credit lines, or a termination's clawback, whose ids the ledger holds already (an endorsement credited, then
 * withdrawn; a clawback taken back, see restatedTermination) posted again as adjustments of them under ids of their
 * own: the read model keeps one row per line id, and no leg counts twice. So too a recalculation's adjustments posted
 * again (a termination put back withdrawing again endorsements a renewal re-credited), with the reason they had.
 */
export function recreditedBy(event: LedgerEvent, state: PolicyCreditState, cause: PolicyTransaction): LedgerEvent {
  if (event.type !== 'CreditLinesRecorded' && event.type !== 'CreditLinesReversed' && event.type !== 'CreditAdjusted') return event;
  const recalculationId = `${cause.kind === 'Reinstated' ? 'reinstatement' : 'recredit'}-${cause.transactionId}`;
  const again = event.type === 'CreditLinesRecorded' ? 'credited' : 'clawed back';
  const lines = event.data.lines.map((line): CreditLine => (state.lines.has(line.lineId) ? {
    ...line, lineId: `${line.lineId}~${recalculationId}`, origin: 'recalculation', adjustsLineId: line.adjustsLineId ?? line.lineId,
    reason: event.type === 'CreditAdjusted' ? line.reason : `${recalculationId}: ${line.lineId} ${again} again, ${cause.kind} ${cause.transactionId} `
      + `on ${cause.effectiveDate} puts the policy in force before it`,
  } : line));
  return { ...event, data: { ...event.data, lines } } as LedgerEvent;
}

export const recordTermination = (tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): LedgerEvent =>
  ({ type: 'CreditLinesReversed', data: { transaction: tx, lines: transactionLines(tx, state, context) } });

/**
 * A cancellation or lapse arriving after endorsements dated after it (see endorsementsAfterTermination):
 * in business order it came first and they were refused. Their credit is withdrawn as a recalculation
 * (`termination-<id>`, the history replayed without them, their own lines only) before the termination is
 * recorded, so it claws back what business order's does; they stand refused, as there. Null when there are
 * none, or the rules cannot replay the history so (they keep their credit, as before).
 */
export function withdrawEndorsementsAfter(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): CreditAdjusted | null {
  const after = endorsementsAfterTermination(state, tx);
  if (after.length === 0 || state.policyNo === null) return null;
  const ids = new Set(after.map((e) => e.transactionId));
  const items = state.items.filter((i) => i.kind !== 'transaction' || !ids.has(i.transaction.transactionId));
  const recalculationId = `termination-${tx.transactionId}`;
  const recalculated = recalculatedWith(state, items, context, recalculationId, ids);
  if (!recalculated) return null;
  const withdrawn = endedBy(tx, after);
  const lines = recalculated.lines.map((line) => withdrawalReason(line, state, withdrawn, recalculationId, false));
  const { retiredLineIds, repriced } = recalculated;
  return { type: 'CreditAdjusted', data: {
    policyNo: state.policyNo, recalculationId, ruleSetVersion: lines[0]?.ruleSetVersion ?? 'unchanged', lines,
    reversalLineIds: state.lastReversalIds, retiredLineIds, ...repricedField(repriced), withdrawn,
  } };
}

/** Endorsements a termination dated before them withdraws, with why: the rules refused them in business order, where it came first. */
const endedBy = (tx: PolicyTransaction, endorsements: readonly PolicyTransaction[]): WithdrawnEndorsement[] => endorsements.map((e) => ({
  transaction: e, code: 'CREDIT_POLICY_NOT_IN_FORCE',
  reason: `${tx.kind} ${tx.transactionId} on ${tx.effectiveDate} ends ${tx.policyNo} before ${e.transactionId} on ${e.effectiveDate}`,
}));

/**
 * A cancellation or lapse arriving after a later-dated one of its terminated span (see laterTerminationOfSpan):
 * in business order it stood, that one repeated it (nothing credited), the endorsements dated after it were
 * refused, and a reinstatement, if any, undid it. It takes that one's place as a recalculation
 * (`termination-<id>`, the history replayed so): that one's clawback, and a reinstatement's re-credit of it,
 * taken back; its own clawback, from its date, and the reinstatement's re-credit of it posted as business order
 * posts them; the endorsements' credit withdrawn (they stand refused). With a reinstatement kept between them (see
 * terminationBeforeKept), that one ended the policy again in business order: it stays, and the two are recorded
 * before it, the reinstatement's re-credit posted too. Null when there is no such later one; refused as a repeat,
 * as before, when the rules cannot replay the history so.
 */
export function restatedTermination(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): CreditAdjusted | null {
  if (!isTermination(tx.kind) || state.policyNo === null) return null;
  const repeated = laterTerminationOfSpan(state, tx.effectiveDate);
  const before = repeated === null ? terminationBeforeKept(state, tx.effectiveDate) : null;
  const later = repeated ?? before?.later;
  if (later === undefined) return null;
  const ended = endorsementsEndedBy(state, tx.effectiveDate);
  const items = withEarlierTermination(state.items, tx, later, new Set(ended.map((e) => e.transactionId)), before?.reinstatement);
  const recalculationId = `termination-${tx.transactionId}`;
  const recalculated = recalculatedWith(state, items, context, recalculationId, undefined, true);
  if (!recalculated) throw notAllowed(tx, 'terminated', 'CREDIT_POLICY_NOT_IN_FORCE');
  const withdrawn = endedBy(tx, ended);
  const lines = recalculated.lines.map((line) => withdrawalReason(line, state, withdrawn, recalculationId, false))
    .map((line) => (repeated ? repeatReason(line, state, tx, repeated, recalculationId) : line));
  const { reversalLineIds, retiredLineIds, repriced } = recalculated;
  const placed = before ? { terminationBefore: { transaction: tx, ...before } } : { restatedTermination: { transaction: tx, repeated: later } };
  return { type: 'CreditAdjusted', data: {
    policyNo: state.policyNo, recalculationId, ruleSetVersion: lines[0]?.ruleSetVersion ?? 'unchanged', lines, reversalLineIds, retiredLineIds,
    ...repricedField(repriced), ...(withdrawn.length > 0 ? { withdrawn } : {}), ...placed,
  } };
}

/**
 * A cancellation or lapse ending a term before a renewed one that a later termination ended (see endsEarlierTerm): in
 * business order it came before the renewal and clawed back its own term's credit. Recorded in its place before the
 * renewal with the clawback the history so replayed gives it (a dispute upheld since, say, left out), the later one
 * standing; what else the replay posts otherwise follows as a recalculation (`termination-<id>`, see clawbackOf). Null
 * for any other; refused where it would end endorsements recorded after it, a reinstatement is kept dated from it, or
 * the rules cannot replay the history so (the crediting handler dropped it before).
 */
export function recordInEarlierTerm(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): LedgerEvent[] | null {
  if (!endsEarlierTerm(state, tx)) return null;
  const kept = [...state.keptReinstatements.values()].some((r) => r.effectiveDate >= tx.effectiveDate);
  const replayed = kept || endorsementsEndedBy(state, tx.effectiveDate).length > 0 ? null : replayedWithLate(state, tx, context);
  if (!replayed) throw notAllowed(tx, 'terminated', 'CREDIT_POLICY_NOT_IN_FORCE');
  const lines = [...replayed.lines.values()].filter((line) => line.transactionId === tx.transactionId);
  const recorded: LedgerEvent = { type: 'CreditLinesReversed', data: { transaction: tx, lines, inBusinessOrder: true } };
  const rest = clawbackOf(evolve(state, recorded), tx, context);
  return rest ? [recorded, rest] : [recorded];
}

/**
 * A reinstatement, or a cancellation or lapse, arriving after a later-dated reinstatement that undid the termination the
 * reinstatement undoes, the other kept (see reinstatementBeforeRepeat): in business order the reinstatement undid that
 * termination, the cancellation or lapse ended the policy again, and the later one undid it. Both take their places
 * before the later one as a recalculation (`reinstatement-<id>` or `termination-<id>`, the history replayed so): the
 * later one's re-credit of the first clawback taken back; the re-credit, the clawback and the later one's re-credit of
 * it posted as business order posts them. Null when there is none, or the rules cannot replay the history so (it is
 * kept, as before).
 */
export function reinstatedBeforeRepeat(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): CreditAdjusted | null {
  const found = reinstatementBeforeRepeat(state, tx);
  if (found === null || state.policyNo === null) return null;
  const recalculationId = `${tx.kind === 'Reinstated' ? 'reinstatement' : 'termination'}-${tx.transactionId}`;
  const items = placedBefore(state.items, [found.reinstatement, found.termination], found.later);
  const recalculated = recalculatedWith(state, items, context, recalculationId, undefined, true);
  if (!recalculated) return null;
  const { lines, reversalLineIds, retiredLineIds, repriced } = recalculated;
  return { type: 'CreditAdjusted', data: {
    policyNo: state.policyNo, recalculationId, ruleSetVersion: lines[0]?.ruleSetVersion ?? 'unchanged', lines, reversalLineIds, retiredLineIds,
    ...repricedField(repriced), reinstatementBefore: found,
  } };
}

/** A line taking back the later termination's clawback, or a reinstatement's re-credit of it, says why, not "re-priced". */
function repeatReason(line: CreditLine, state: PolicyCreditState, tx: PolicyTransaction, later: PolicyTransaction,
  recalculationId: string): CreditLine {
  const adjusted = line.adjustsLineId === undefined ? undefined : state.lines.get(line.adjustsLineId);
  const undone = adjusted?.reversesLineId === undefined ? undefined : state.lines.get(adjusted.reversesLineId);
  if (adjusted === undefined || ![adjusted.transactionId, undone?.transactionId].includes(later.transactionId)) return line;
  return { ...line, reason: `${recalculationId}: ${adjusted.lineId} withdrawn, ${later.kind} ${later.transactionId} on ${later.effectiveDate} `
    + `repeats ${tx.kind} ${tx.transactionId} on ${tx.effectiveDate}` };
}

/** The policy's history replayed with a late renewal, endorsement or termination in its business place, or null when the rules refuse it there. */
function replayedWithLate(state: PolicyCreditState, late: PolicyTransaction, context: CreditContext): PolicyCreditState | null {
  try {
    return replayPolicy(withLate(state.items, late), context);
  } catch (error) {
    if (!(error instanceof CreditingError) || error.code === 'CREDIT_DOUBLE_COUNTING') throw error;
    return null;
  }
}

/** The recalculation id of what follows a late fact: `renewal-<id>`, `endorsement-<id>` or `termination-<id>`. */
const clawbackId = (late: PolicyTransaction): string =>
  `${late.kind === 'Renewed' ? 'renewal' : isTermination(late.kind) ? 'termination' : 'endorsement'}-${late.transactionId}`;

/**
 * What a replay of the history posts that the ledger has not, once a renewal or endorsement took its place
 * before a termination recorded earlier: that termination's reversal of it, posted as the termination posts it
 * (or, after a termination placed before a renewal, see recordInEarlierTerm, whatever else the replay posts otherwise).
 */
function clawbackOf(state: PolicyCreditState, late: PolicyTransaction, context: CreditContext): CreditAdjusted | null {
  const recalculationId = clawbackId(late);
  const { lines, reversalLineIds, retiredLineIds, repriced } = recalculate(state, context, recalculationId, undefined, true);
  if (!changes({ lines, retiredLineIds, repriced }) || state.policyNo === null) return null;
  const ruleSetVersion = lines[0]?.ruleSetVersion ?? 'unchanged';
  return { type: 'CreditAdjusted', data: { policyNo: state.policyNo, recalculationId, ruleSetVersion, lines, reversalLineIds, retiredLineIds, ...repricedField(repriced) } };
}

/**
 * A renewal or endorsement arriving after the cancellation or lapse that ends its term (see
 * belongsBeforeTermination) takes its place before it, with the lines the history so replayed credits it
 * with; the termination's clawback of it follows as a recalculation, like a late reassignment's. The ledger
 * then holds business order's lines, and the policy stays terminated; a renewal then settles the
 * endorsements dated in its term. Null when it does not belong there, or the history so replayed refuses it
 * (it is recorded where it arrives, or refused, as before).
 */
export function recordBeforeTermination(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): LedgerEvent[] | null {
  return belongsBeforeTermination(state, tx) ? recordInPlace(tx, state, context) : null;
}

/**
 * A late renewal or endorsement recorded in its business place (see lateIndex) with the lines the history so replayed
 * credits it with, what the replay posts after it that the ledger has not (a termination's clawback of it) as a
 * recalculation, and for a renewal the endorsements of its term settled. Null when the replay refuses it there.
 */
function recordInPlace(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): LedgerEvent[] | null {
  const replayed = replayedWithLate(state, tx, context);
  if (!replayed) return null;
  const lines = [...replayed.lines.values()].filter((line) => line.transactionId === tx.transactionId);
  const recorded: LedgerEvent = { type: 'CreditLinesRecorded', data: { transaction: tx, lines, inBusinessOrder: true } };
  const clawback = clawbackOf(evolve(state, recorded), tx, context);
  const events = clawback ? [recorded, clawback] : [recorded];
  if (tx.kind !== 'Renewed') return events;
  return [...events, ...settleEndorsements(events.reduce(evolve, state), tx, context)];
}

/**
 * A renewal arriving after a servicing reassignment dated on or after its start (the servicer's termination, on
 * another partition, handed the policy on first): in business order it came before that reassignment, and renewal
 * credit follows the servicer of its date, not the one the policy was handed to since. It takes its place before the
 * reassignment (see lateIndex), so a recalculation keeps it there, with the lines the history so replayed credits it
 * with (see recordInPlace). Null when the policy stands terminated (see recordBeforeTermination), its place is not
 * right before a reassignment, or the history so replayed refuses it (it is recorded where it arrives, or refused, as
 * before).
 */
export function recordBeforeReassignment(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): LedgerEvent[] | null {
  if (tx.kind !== 'Renewed' || state.status === 'terminated' || state.items[lateIndex(state.items, tx)]?.kind !== 'reassignment') return null;
  return recordInPlace(tx, state, context);
}

type Crediting = { lines: CreditLine[] } | { refusal: { code: string; reason: string } };

/** The lines the rules give a transaction arriving now, or why they refuse it (double counting stays an error). */
function creditingOf(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext, credit = arrivalLines): Crediting {
  try {
    return { lines: credit(tx, state, context) };
  } catch (error) {
    if (!(error instanceof CreditingError) || error.code === 'CREDIT_DOUBLE_COUNTING') throw error;
    return { refusal: { code: error.code, reason: error.message } };
  }
}

/**
 * An endorsement that arrived before the renewal (or issue) of the term it is dated in was read with
 * the premium mode and dates of the term before (the portfolio knew no other yet): credited so, or
 * refused so. When that term is recorded, each is read again with the term's and settled as business
 * order has it: one credited is re-credited, or its credit withdrawn when the rules refuse it so; one
 * refused is credited when the rules now can.
 */
export function settleEndorsements(state: PolicyCreditState, term: PolicyTransaction, context: CreditContext): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  let s = state;
  const reread = rereadEndorsements(s, term, context);
  if (reread) {
    events.push(reread);
    s = evolve(s, reread);
  }
  for (const endorsement of endorsementsReadAgainstAnotherTerm(s, term, s.refused.values())) {
    const credited = creditRefused(endorsement, s, context, term);
    events.push(...credited);
    s = credited.reduce(evolve, s);
  }
  return events;
}

/**
 * A refused endorsement read again with its term (or after a reinstatement, `cause`), credited as business
 * order has it: in its place before a termination dated after it (a late renewal of its term placed so too),
 * else where it stands, lines it had before under ids of their own; nothing when the rules refuse it so too.
 */
function creditRefused(endorsement: PolicyTransaction, state: PolicyCreditState, context: CreditContext, cause: PolicyTransaction): LedgerEvent[] {
  const placed = recordBeforeTermination(endorsement, state, context);
  if (placed) return placed.map((e) => recreditedBy(e, state, cause));
  const crediting = creditingOf(endorsement, state, context);
  return 'lines' in crediting ? [recreditedBy({ type: 'CreditLinesRecorded', data: { transaction: endorsement, lines: crediting.lines } }, state, cause)] : [];
}

/**
 * The endorsements credited against the term before, read again with the term's: the history replayed
 * with them so (and without those the rules now refuse), the difference posted on their own lines (with
 * their reversals, reinstatements and disputes) only. Its id names the term, recorded once.
 */
function rereadEndorsements(state: PolicyCreditState, term: PolicyTransaction, context: CreditContext): CreditAdjusted | null {
  const candidates = endorsementsReadAgainstAnotherTerm(state, term);
  if (candidates.length === 0 || state.policyNo === null) return null;
  const { endorsements, withdrawn } = creditedOrWithdrawn(candidates, state, context);
  const ids = new Set(candidates.map((e) => e.transactionId));
  const withdrawnIds = new Set(withdrawn.map((w) => w.transaction.transactionId));
  const recalculationId = `term-${term.transactionId}`;
  const items = withTransactions(state.items, endorsements).filter((i) => i.kind !== 'transaction' || !withdrawnIds.has(i.transaction.transactionId));
  // Null when the rules cannot replay the history so for another reason: the term is still credited, the endorsements stay as they were.
  const recalculated = recalculatedWith(state, items, context, recalculationId, ids);
  if (!recalculated) return null;
  const { retiredLineIds, repriced } = recalculated;
  const lines = recalculated.lines.map((line) => withdrawalReason(line, state, withdrawn, recalculationId));
  const ruleSetVersion = lines[0]?.ruleSetVersion ?? 'unchanged';
  // The policy is in force (a term was just recorded): the last termination's reversals stay as they are.
  return { type: 'CreditAdjusted', data: {
    policyNo: state.policyNo, recalculationId, ruleSetVersion, lines, reversalLineIds: state.lastReversalIds, retiredLineIds, ...repricedField(repriced),
    ...(endorsements.length > 0 ? { endorsements } : {}), ...(withdrawn.length > 0 ? { withdrawn } : {}),
  } };
}

/** Endorsements re-read against their term: those the rules credit so, and those they refuse, with why. */
function creditedOrWithdrawn(rereads: readonly PolicyTransaction[], state: PolicyCreditState, context: CreditContext)
  : { endorsements: PolicyTransaction[]; withdrawn: WithdrawnEndorsement[] } {
  const endorsements: PolicyTransaction[] = [];
  const withdrawn: WithdrawnEndorsement[] = [];
  for (const endorsement of rereads) {
    // Credited already where it stands in the lifecycle: only the rules judge it re-read (a late renewal
    // re-reads it while a termination dated after it stands).
    const crediting = creditingOf(endorsement, state, context, linesUnderRules);
    if ('lines' in crediting) endorsements.push(endorsement);
    else withdrawn.push({ transaction: endorsement, ...crediting.refusal });
  }
  return { endorsements, withdrawn };
}

/** A line taking back a withdrawn endorsement's credit says why, not "re-priced". */
function withdrawalReason(line: CreditLine, state: PolicyCreditState, withdrawn: readonly WithdrawnEndorsement[], recalculationId: string,
  readAgainstTerm = true): CreditLine {
  const credited = state.lines.get(line.creditKey)?.transactionId;
  const refusal = withdrawn.find((w) => w.transaction.transactionId === credited);
  if (!refusal) return line;
  const read = readAgainstTerm ? ` read against its own term (paid ${refusal.transaction.premium.mode})` : '';
  return { ...line, reason: `${recalculationId}: ${line.creditKey} withdrawn, ${credited}${read} is not credited: ${refusal.reason}` };
}

/**
 * The history recalculated with these items, posting only what changes in the named transactions' lines (all,
 * unnamed; lines the ledger never had as the replay posts them, `asReplayed`);
 * null when the rules cannot replay it so (double counting is still an error).
 */
function recalculatedWith(state: PolicyCreditState, items: PolicyCreditState['items'], context: CreditContext, recalculationId: string,
  ids?: ReadonlySet<string>, asReplayed = false): Recalculation | null {
  try {
    return recalculate({ ...state, items }, context, recalculationId, ids && ((id) => ids.has(id)), asReplayed);
  } catch (error) {
    if (error instanceof CreditingError && error.code !== 'CREDIT_DOUBLE_COUNTING') return null;
    throw error;
  }
}
