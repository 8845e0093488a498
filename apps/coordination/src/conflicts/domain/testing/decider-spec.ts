// Test-only helper (emmett's DeciderSpecification, reduced): given(events).when(command).then(events).
// Lives here until @lib/testing offers one.
import { ConflictsDomainError, ConflictsErrorCode } from '../conflicts.errors';

interface Decider<C, E, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(events: E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: ConflictsErrorCode): void {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(ConflictsDomainError);
              expect((caught as ConflictsDomainError).code).toBe(code);
            },
          };
        },
      };
    },
  };
}

export function fold<E, S>(decider: Decider<unknown, E, S>, events: E[]): S {
  return events.reduce(decider.evolve, decider.initialState());
}
