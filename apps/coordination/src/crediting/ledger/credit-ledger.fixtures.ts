import { CreditLine, balancesByCreditKey } from '../domain';
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
