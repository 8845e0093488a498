/** Shared test fixtures and the given/when/then harness for the ledger decider (tests only). */
import { CreditContext } from './credit-lines';
import { CreditingErrorCode } from './errors';
import { AgentFact, buildHierarchy } from './hierarchy';
import { decide, evolve, initialState } from './ledger.decider';
import { LedgerCommand, LedgerEvent } from './ledger.events';
import { PolicyCreditState } from './policy-credit-state';
import { PolicyTransaction } from './policy-transaction';
import { defaultRuleSet } from './rule-set.defaults';
import { timelineOf } from './rule-timeline';

export const AGENT_FACTS: AgentFact[] = [
  { type: 'AgentOnboarded', agentId: 'A-0', subsidiary: 'life', channel: 'AGENCY', teamId: 'T1', branchId: 'B1', leaderId: null, effectiveDate: '2025-01-01' },
  { type: 'AgentOnboarded', agentId: 'A-1', subsidiary: 'life', channel: 'AGENCY', teamId: 'T1', branchId: 'B1', leaderId: 'A-0', effectiveDate: '2025-01-01' },
  { type: 'AgentOnboarded', agentId: 'A-2', subsidiary: 'life', channel: 'AGENCY', teamId: 'T1', branchId: 'B1', leaderId: 'A-0', effectiveDate: '2025-01-01' },
  { type: 'AgentOnboarded', agentId: 'A-9', subsidiary: 'life', channel: 'AGENCY', teamId: 'T2', branchId: 'B2', leaderId: null, effectiveDate: '2025-01-01' },
  { type: 'AgentOnboarded', agentId: 'L-B', subsidiary: 'life', channel: 'BANCASSURANCE', teamId: 'BT', branchId: 'B1', leaderId: null, effectiveDate: '2025-01-01' },
  { type: 'AgentOnboarded', agentId: 'G-1', subsidiary: 'group', channel: 'GROUP_ACCOUNT', teamId: 'GT1', branchId: 'GB1', leaderId: null, effectiveDate: '2025-01-01' },
  { type: 'AgentOnboarded', agentId: 'P-1', subsidiary: 'pnc', channel: 'AGENCY', teamId: 'PT1', branchId: 'PB1', leaderId: null, effectiveDate: '2025-01-01' },
  // A-1 moves mid-year: sales before 1 July roll up to T1/B1, after it to T2/B2.
  { type: 'AgentTransferred', agentId: 'A-1', teamId: 'T2', branchId: 'B2', leaderId: 'A-9', effectiveDate: '2026-07-01' },
];

export const hierarchy = buildHierarchy(AGENT_FACTS);
export const context = (overrides: Partial<CreditContext> = {}): CreditContext => ({
  timeline: timelineOf(defaultRuleSet()),
  hierarchy,
  ...overrides,
});

/** A life agency agent selling a P&C motor policy: the canonical cross-sale. */
export function tx(overrides: Partial<PolicyTransaction> = {}): PolicyTransaction {
  return {
    kind: 'Issued',
    transactionId: 'evt-1',
    policyNo: 'PN-1',
    productSubsidiary: 'pnc',
    productLine: 'HOME',
    premium: { amount: '1000.00', mode: 'ANNUAL' },
    effectiveDate: '2026-03-01',
    expiryDate: '2027-03-01',
    sellingAgentId: 'A-1',
    servicingAgentId: 'A-1',
    channel: 'AGENCY',
    sellingSubsidiary: 'life',
    referralId: 'R-1',
    productSpecialistId: null,
    partyId: 'party-1',
    ...overrides,
  };
}

export const record = (transaction: PolicyTransaction, ctx: CreditContext = context()): LedgerCommand => ({
  type: 'RecordPolicyTransaction',
  data: { transaction, context: ctx },
});

/** Runs commands through decide/evolve and returns every event (the history a store would hold). */
export function run(commands: readonly LedgerCommand[], from: readonly LedgerEvent[] = []): LedgerEvent[] {
  const events = [...from];
  let state = from.reduce(evolve, initialState());
  for (const command of commands) {
    for (const event of decide(command, state)) {
      events.push(event);
      state = evolve(state, event);
    }
  }
  return events;
}

export function given(events: readonly LedgerEvent[]) {
  const state: PolicyCreditState = events.reduce(evolve, initialState());
  return {
    state,
    when(command: LedgerCommand) {
      return {
        then(expected: LedgerEvent[] | ((events: LedgerEvent[]) => void)): LedgerEvent[] {
          const actual = decide(command, state);
          if (typeof expected === 'function') expected(actual);
          else expect(actual).toEqual(expected);
          return actual;
        },
        thenThrows(code: CreditingErrorCode): void {
          expect(() => decide(command, state)).toThrow(expect.objectContaining({ code }));
        },
      };
    },
  };
}
