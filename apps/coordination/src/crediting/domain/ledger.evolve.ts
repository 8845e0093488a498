import {
  PolicyCreditState, applyRepricing, cloneState, placeReinstatementBefore, placeTerminationBefore, postLines, recordTransaction, rereadTransactions,
  restateTermination, withdrawTransactions, withReassignment,
} from './policy-credit-state';
import { lateIndex } from './late-placement';
import { LedgerEvent } from './ledger.events';

/** The ledger's state after one of its events. */
export function evolve(state: PolicyCreditState, event: LedgerEvent): PolicyCreditState {
  const s = cloneState(state);
  switch (event.type) {
    case 'CreditLinesRecorded':
    case 'CreditLinesReversed': {
      const { transaction, lines, inBusinessOrder } = event.data;
      recordTransaction(s, transaction, lines, inBusinessOrder ? lateIndex(s.items, transaction) : s.items.length);
      return s;
    }
    case 'ReinstatementKept':
      s.keptReinstatements.set(event.data.transaction.transactionId, event.data.transaction);
      return s;
    case 'TerminationRepeated':
      s.repeatedTerminations.set(event.data.transaction.transactionId, event.data.transaction);
      return s;
    case 'ServicingReassigned': {
      s.policyNo ??= event.data.policyNo;
      const item = { kind: 'reassignment', fromAgentId: event.data.fromAgentId, toAgentId: event.data.toAgentId, effectiveDate: event.data.effectiveDate } as const;
      s.items = event.data.inBusinessOrder ? withReassignment(s.items, item) : [...s.items, item];
      s.servicing = { fromAgentId: event.data.fromAgentId, toAgentId: event.data.toAgentId };
      return s;
    }
    case 'CreditAdjusted':
      rereadTransactions(s, event.data.endorsements ?? []);
      withdrawTransactions(s, (event.data.withdrawn ?? []).map((w) => w.transaction));
      if (event.data.restatedTermination) restateTermination(s, event.data.restatedTermination.transaction, event.data.restatedTermination.repeated);
      if (event.data.terminationBefore) placeTerminationBefore(s, event.data.terminationBefore.transaction, event.data.terminationBefore.reinstatement,
        event.data.terminationBefore.later);
      if (event.data.reinstatementBefore) placeReinstatementBefore(s, event.data.reinstatementBefore);
      postLines(s, event.data.lines);
      s.lastReversalIds = event.data.reversalLineIds;
      for (const id of event.data.retiredLineIds) s.net.delete(id);
      applyRepricing(s, event.data.repriced);
      return s;
    case 'DisputeFiled':
      s.disputes.set(event.data.disputeId, { disputeId: event.data.disputeId, lineId: event.data.lineId, status: 'open' });
      return s;
    case 'DisputeUpheld': {
      const { disputeId, lineId, standardPremiumDelta, resolvedAt, line } = event.data;
      s.disputes.set(disputeId, { ...s.disputes.get(disputeId)!, status: 'upheld' });
      s.items.push({ kind: 'dispute-upheld', disputeId, lineId, standardPremiumDelta, effectiveDate: resolvedAt.slice(0, 10) });
      if (line) postLines(s, [line]);
      return s;
    }
    case 'DisputeRejected':
      s.disputes.set(event.data.disputeId, { ...s.disputes.get(event.data.disputeId)!, status: 'rejected' });
      return s;
  }
}
