/** Servers started by globalSetup live in the jest parent process; setup and teardown share this. */
interface InfraState {
  users: number;
  stops: Array<() => Promise<void>>;
}
const holder = globalThis as unknown as { __xsellInfra?: InfraState };
export const infra: InfraState = (holder.__xsellInfra ??= { users: 0, stops: [] });

export function log(line: string): void {
  if (process.env.TEST_INFRA_QUIET !== '1') process.stderr.write(`[test-infra] ${line}\n`);
}
