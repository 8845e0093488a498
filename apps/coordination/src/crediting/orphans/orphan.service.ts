import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PolicyRenewalShared } from '../../portfolio/portfolio.events';
import { HistoryRow, OrphanRule, Reassignment, Servicer, planOnArrival, planOrphanReassignment, renewalsRegiven } from '../domain';
import { PolicyKey, servicerOf } from '../inbound/policy-facts';
import { HandOutJudging } from './hand-out-judging';
import { LEAST_LOADED, OrphanRules } from './orphan-rules';
import type { OrphanWrite, ServicingChange } from './orphan-write';
import { ServicingHandOn } from './servicing-hand-on';
import { ServicingRecords } from './servicing-records';
import { bookReassignmentsOf, bookReassignmentsOfStanding, policyLife } from './book-reassignments';
import {
  bookOn, policyKeyOf, recordServicing, regiveRenewals, renewalsFrom, servicersEver, standingRows, supersedeRenewalsNaming, terminationsInBranchesOf,
  terminationsInServicersBranches,
} from './servicing-history';

export type { OrphanWrite, ServicingChange } from './orphan-write';
export { TerminationQueue } from './termination-queue';

/** The agents whose servicing the rows changed, and the earliest date they changed it from. */
const spanOf = (rows: readonly HistoryRow[]): { agents: string[]; from?: string } => ({
  agents: [...new Set(rows.flatMap((row) => [row.fromAgentId!, row.agentId]))],
  from: rows.map((row) => row.effectiveDate).sort()[0],
});

const targetsOf = (plan: readonly Reassignment[]) => plan.flatMap((step) => (step.kind === 'assigned' ? [step.toAgentId] : []));

/**
 * Orphan policies (孤儿单): when an agent leaves, each in-force policy they service gets a new
 * servicing agent by the configured rule, or waits for a coordinator. A reassignment is a
 * portfolio fact (policy stream + look-up) and a ledger fact (renewals credit the new agent).
 */
@Injectable()
export class OrphanService {
  constructor(
    private readonly orphanRules: OrphanRules,
    private readonly judging: HandOutJudging,
    private readonly handOuts: ServicingHandOn,
    private readonly records: ServicingRecords,
  ) {}

  /**
   * Under team-leader and coordinator the leaver's book is handed on now. Under least-loaded-in-branch
   * the hand-out is judged by business time with the other terminations of the branch it can change.
   */
  async onTermination(manager: EntityManager, agentId: string, date: string, write: OrphanWrite): Promise<Reassignment[]> {
    // A renewal recorded before this arrived that named the leaver from this date on gave them nothing: its row no longer stands.
    const renewals = await renewalsFrom(manager, agentId, date);
    await supersedeRenewalsNaming(manager, agentId, date);
    for (const renewal of renewals) await this.records.followHistory(manager, renewal, { agentId, effectiveDate: renewal.effectiveDate }, write);
    const rule = await this.orphanRules.ruleOn(manager, date);
    const plan = rule === LEAST_LOADED ? [] : await this.handOnNow(manager, agentId, date, rule, write);
    // Same-day terminations (the leaver is no longer their candidate: one that gave them a policy that day takes
    // it back or hands it on again), the leaver's own, then later ones; a leader handed the book under
    // team-leader may stand in another branch, whose hand-outs count them from then.
    return [...plan, ...(await this.judging.rejudgeFrom(manager, [agentId, ...targetsOf(plan)], { from: date, to: null }, write, agentId))];
  }

  private async handOnNow(manager: EntityManager, agentId: string, date: string, rule: OrphanRule, write: OrphanWrite): Promise<Reassignment[]> {
    const book = await bookOn(manager, agentId, date, rule !== 'coordinator');
    if (book.length === 0) return [];
    const { hierarchy, loads } = await this.orphanRules.candidates(manager, agentId, date, rule);
    const plan = planOrphanReassignment({ terminatedAgentId: agentId, date, rule, hierarchy, book: book.map(policyKeyOf), loads });
    await this.judging.apply(manager, plan, book, { agentId, date, rule }, write);
    return plan;
  }

  /**
   * A policy recorded after its servicing agent's termination was handled: handed on by the same
   * rule on the termination date, so the outcome does not depend on which arrived first. Its servicing
   * over its term can also change the least-loaded hand-outs of terminations dated in it.
   */
  async onArrival(
    manager: EntityManager, policy: PolicyKey & { effectiveDate: string; expiryDate: string }, servicingAgentId: string, write: OrphanWrite,
    known?: { agentId: string; terminatedOn: string | null },
  ): Promise<Reassignment[]> {
    const { subsidiary, policyNo, effectiveDate, expiryDate } = policy;
    // The usual case, an active servicer, needs no answer before the next statement: the reads go together with the
    // write (one round trip on the pipelined connection), the terminations read are those of the term, and the servicer
    // is read only when the caller does not know it already.
    const [, servicer, inTerm, books] = await Promise.all([
      recordServicing(manager, { subsidiary, policyNo, effectiveDate, agentId: servicingAgentId, fromAgentId: null, rule: null }),
      known ?? servicerOf(manager, servicingAgentId),
      terminationsInBranchesOf(manager, [servicingAgentId], effectiveDate, expiryDate),
      bookReassignmentsOf(manager, [servicingAgentId]),
    ]);
    if (!servicer?.terminatedOn) {
      if (books.length === 0) return this.judging.rejudgeInOrder(manager, inTerm, write);
      // A coordinator reassigned the servicer's whole book since the policy's issue (it arrived late): it was in it.
      const { agents, from } = spanOf(await this.handOuts.followBookReassignments(manager, policy, write));
      return this.judging.rejudgeInOrder(manager, [...inTerm, ...(from ? await terminationsInBranchesOf(manager, agents, from, null) : [])], write);
    }
    const terminatedOn = servicer.terminatedOn;
    const plan = await this.handOnArrival(manager, policy, { ...servicer, terminatedOn }, write);
    const servicers = [servicingAgentId, ...targetsOf(plan)];
    // The span takes in the servicer's own termination, whose book the policy joins even outside its term.
    const dates = [effectiveDate, expiryDate, terminatedOn].sort();
    return [...plan, ...(await this.judging.rejudgeFrom(manager, servicers, { from: dates[0], to: dates[dates.length - 1] }, write))];
  }

  /**
   * A policy stopped (or resumed) being in force from `from`: a whole-book reassignment dated since takes it
   * or not by its status then (`followStatus`), and the loads of the agents who serviced it change from that
   * date, so the least-loaded hand-outs of terminations dated since in their branches are judged again, as
   * for a late policy.
   */
  async onStatusChange(manager: EntityManager, policy: { subsidiary: string; policyNo: string }, from: string, write: OrphanWrite): Promise<Reassignment[]> {
    // One round trip on the pipelined connection: the policy's life, the whole-book reassignments of the books of the agents its
    // standing servicing rows name, and the terminations since in the branches of every agent who serviced it.
    const [life, books, terminations] = await Promise.all([
      policyLife(manager, policy), bookReassignmentsOfStanding(manager, policy), terminationsInServicersBranches(manager, policy, from),
    ]);
    // The usual case: no such reassignment, so nothing is handed on or back and the terminations read stand.
    if (!life || books.length === 0) return this.judging.rejudgeInOrder(manager, terminations, write);
    // A coordinator's whole-book reassignment dated after it takes the policy or not by its status on that day.
    await this.judging.followStatus(manager, life, books, write);
    return this.judging.rejudgeInOrder(manager, await terminationsInServicersBranches(manager, policy, from), write);
  }

  /**
   * A renewal adds a term in force (from its effective date to its expiry) and, when it names its
   * servicing agent (`namedAgentId`, the one the portfolio took), services the policy by that agent from the
   * new term on (kept in the servicing history like a reassignment, even naming the agent who services the
   * policy now: a hand-out dated before the new term that arrives after it must not keep the policy past it;
   * each renewal row names the agent before it in business order): the loads of the policy's servicers in
   * that term change, so the least-loaded hand-outs of terminations dated in it in their branches are judged
   * again. An agent it names whose termination (dated after the new term began) is known already hands the
   * policy on from that date, as if the termination had arrived after the renewal.
   */
  async onRenewal(manager: EntityManager, renewal: PolicyRenewalShared & { namedAgentId?: string }, write: OrphanWrite): Promise<Reassignment[]> {
    const { subsidiary, policyNo, partyId, newEffectiveDate, newExpiryDate, servicingAgentId, previousServicingAgentId } = renewal;
    const policy = { subsidiary, policyNo, partyId };
    const dates = [newEffectiveDate, newExpiryDate];
    let plan: Reassignment[] = [];
    const names = servicingAgentId !== previousServicingAgentId || servicingAgentId === renewal.namedAgentId;
    const servicer = names ? await servicerOf(manager, servicingAgentId) : null;
    // Who ever serviced the policy, when read with its renewal row (one round trip) and nothing handed it on since.
    let servicers: string[] | undefined;
    // Naming an agent who had left by the new term it gives them nothing (no row, as when their termination arrives after it).
    if (names && !(servicer?.terminatedOn && servicer.terminatedOn <= newEffectiveDate)) {
      const [, rows, ever] = await Promise.all([
        recordServicing(manager, { subsidiary, policyNo, effectiveDate: newEffectiveDate, agentId: servicingAgentId, fromAgentId: previousServicingAgentId, rule: 'renewal' }),
        standingRows(manager, policy),
        servicersEver(manager, policy),
      ]);
      servicers = ever;
      await regiveRenewals(manager, renewalsRegiven(rows));
    }
    if (servicingAgentId !== previousServicingAgentId) {
      write.servicingChanged?.(policy);
      if (servicer?.terminatedOn) {
        plan = await this.handOnArrival(manager, policy, { ...servicer, terminatedOn: servicer.terminatedOn }, write);
        dates.push(servicer.terminatedOn);
        servicers = undefined;
      }
    }
    dates.sort();
    const rejudged = await this.judging.rejudgeFrom(manager, servicers ?? (await servicersEver(manager, renewal)), { from: dates[0], to: dates[dates.length - 1] }, write);
    if (servicingAgentId === previousServicingAgentId) return [...plan, ...rejudged];
    // A coordinator reassigned the named agent's whole book since the new term began (the renewal arrived late): it was in it.
    const { agents, from } = spanOf(await this.handOuts.followBookReassignments(manager, policy, write));
    return [...plan, ...rejudged, ...(from ? await this.judging.rejudgeFrom(manager, agents, { from, to: null }, write) : [])];
  }

  /**
   * An agent joined a branch, or moved between branches, from `from`: the candidates of the
   * least-loaded hand-outs of terminations dated since in the branches the agent stood in (the one
   * joined, and for a transfer the one left) change, so those are judged again, as for a late policy.
   * Each is judged with its colleagues placed as the agent history has them on its date. A placement
   * re-sent for the same date with another branch replaced the one kept: `replacedBranchId`, the
   * branch it no longer names, is judged again too (the agent no longer stood in it). An agent
   * `onboarded` (recorded, maybe after the termination of an agent they lead: another partition) is
   * the candidate of the team-leader hand-outs of those they lead dated since, wherever they stand:
   * those are judged again too (a policy left waiting for a coordinator is handed to them).
   */
  async onPlacement(
    manager: EntityManager, agentId: string, from: string, write: OrphanWrite, placed: { replacedBranchId?: string; onboarded?: boolean } = {},
  ): Promise<Reassignment[]> {
    const also = { branchIds: placed.replacedBranchId ? [placed.replacedBranchId] : [], leaderIds: placed.onboarded ? [agentId] : [] };
    return this.judging.rejudgeInOrder(manager, await terminationsInBranchesOf(manager, [agentId], from, null, also), write);
  }

  private async handOnArrival(manager: EntityManager, policy: PolicyKey, servicer: Servicer & { terminatedOn: string }, write: OrphanWrite): Promise<Reassignment[]> {
    const date = servicer.terminatedOn;
    const rule = await this.orphanRules.ruleOn(manager, date);
    if (rule === LEAST_LOADED) return []; // the whole book is judged again with the others
    const { hierarchy, loads } = await this.orphanRules.candidates(manager, servicer.agentId, date, rule);
    const plan = planOnArrival(policyKeyOf(policy), servicer, { rule, hierarchy, loads });
    await this.judging.apply(manager, plan, [policy], { agentId: servicer.agentId, date, rule }, write);
    return plan;
  }

  /**
   * A coordinator's reassignment, effective the day it is made: a later hand-out of the policy by an agent
   * who no longer had it then is superseded, as for a hand-out judged again. Returns the agents whose
   * servicing that (and any whole-book reassignment it leaves undone) changed, besides the two named.
   */
  async reassign(manager: EntityManager, change: ServicingChange, write: OrphanWrite): Promise<string[]> {
    return (await this.handOuts.handOn(manager, change, write)).flatMap((row) => [row.fromAgentId!, row.agentId]);
  }

  /**
   * After a coordinator's reassignment effective `date`: the loads and books of the agents whose servicing
   * it changed differ from that day on, so the hand-outs of terminations dated on or after it in their
   * branches are judged again (one dated that day does not count the reassignment: it came first).
   */
  async afterReassignment(manager: EntityManager, agentIds: readonly string[], date: string, write: OrphanWrite): Promise<Reassignment[]> {
    return this.judging.rejudgeFrom(manager, [...new Set(agentIds)], { from: date, to: null }, write);
  }
}
