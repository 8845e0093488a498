import { CreditLine, balancesByCreditKey, replayPolicy } from '../domain';
import { context } from '../domain/ledger.fixtures';
import { CreditLedgerCommand, CreditLedgerEvent, decideLedger, evolveLedger, foldLedger, ledgerEventLines } from './credit-ledger';

/** Runs commands through the credit ledger's decide/evolve after `from`, and returns every event (the history a store would hold). */
export function runLedger(commands: readonly CreditLedgerCommand[], from: readonly CreditLedgerEvent[] = []): CreditLedgerEvent[] {
  const events = [...from];
  let state = foldLedger([...from]);
  for (const command of commands) {
    for (const event of decideLedger(command, state)) {
      events.push(event);
      state = evolveLedger(state, event);
    }
  }
  return events;
}

/** Every credit line the events post. */
export const ledgerLines = (events: readonly CreditLedgerEvent[]): CreditLine[] => events.flatMap((e) => [...ledgerEventLines(e)]);

/** Net credit per credit key over the events. */
export const ledgerNet = (events: readonly CreditLedgerEvent[]) => balancesByCreditKey(ledgerLines(events));

/** Every credit line the events post, by line id. */
export const sortedLines = (events: readonly CreditLedgerEvent[]): CreditLine[] => ledgerLines(events).sort((a, b) => a.lineId.localeCompare(b.lineId));

/** Net credit per credit key of a from-scratch replay of the ledger's history (the default rules). */
export const replayedNet = (events: CreditLedgerEvent[]) => balancesByCreditKey(replayPolicy(foldLedger(events).items, context()).lines.values());

/** Refusals no later recording of the same transaction lifted. */
export const standingRefusals = (events: readonly CreditLedgerEvent[]) => events.filter((e, i) => e.type === 'PolicyTransactionNotCredited'
  && !events.slice(i).some((r) => (r.type === 'CreditLinesReversed' || r.type === 'CreditLinesRecorded')
    && r.data.transaction.transactionId === e.data.transaction.transactionId));
