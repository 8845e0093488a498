/** Injection tokens of the coordination service's seams. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const INBOUND_HANDLERS = Symbol('INBOUND_HANDLERS');
export const PROJECTIONS = Symbol('PROJECTIONS');
export const SCHEDULED_TASKS = Symbol('SCHEDULED_TASKS');
export const CLOCK = Symbol('CLOCK');

/** Time comes from here so tests and replays can fix it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export const COORDINATION_SCHEMA = 'coordination';

/** Identity's look-up of a subsidiary's client id to the group party (follows merges). */
export const PARTY_RESOLVER = Symbol('PARTY_RESOLVER');
export interface PartyResolver {
  partyIdOf(manager: import('typeorm').EntityManager, subsidiary: string, localId: string): Promise<string | null>;
}
