/** given(events).when(command).then(events) | .thenThrows(code), emmett style. */
export interface Decider<C, E, S> {
  decide: (command: C, state: S) => E[];
  evolve: (state: S, event: E) => S;
  initialState: () => S;
}

export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return (given: E[]) => ({
    when: (command: C) => {
      const run = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: E[]) => expect(run()).toEqual(expected),
        thenThrows: (code: string) => expect(run).toThrow(expect.objectContaining({ code })),
      };
    },
  });
}
