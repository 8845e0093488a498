import { Claimant } from '../conflicts.types';
import { toMs } from '../time';
import { IssuedPolicy, LiveRegistration, RecentQuote } from './facts';

export const fromRegistration = (r: LiveRegistration): Claimant => ({
  subsidiary: r.subsidiary,
  channel: r.channel,
  agentId: r.agentId,
  referralId: r.referralId,
  registeredAt: r.registeredAt,
});

export const fromPolicySeller = (p: IssuedPolicy): Claimant => ({
  subsidiary: p.subsidiary,
  channel: p.channel,
  agentId: p.sellingAgentId,
});

export const fromQuote = (q: RecentQuote): Claimant => ({
  subsidiary: q.subsidiary,
  channel: q.channel,
  agentId: q.agentId,
  ...(q.price !== undefined ? { price: q.price } : {}),
});

export const byRegisteredAt = (a: LiveRegistration, b: LiveRegistration): number =>
  toMs(a.registeredAt) - toMs(b.registeredAt) || a.referralId.localeCompare(b.referralId);
