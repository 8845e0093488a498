import {
  BookReassignment, HistoryRow, bookHandOuts, bookReassignmentDue, handOutsOnTop, inBookOn, renewalsRegiven, restatements, servicerAsMade, supersededRows,
  supersededWithBooks, takenBack,
} from './hand-outs';

let seq = 0;
const row = (effectiveDate: string, agentId: string, fromAgentId: string | null = null, rule: string | null = null): HistoryRow =>
  ({ seq: ++seq, effectiveDate, agentId, fromAgentId, rule });
const LL = 'least-loaded-in-branch';
const seqs = (rows: readonly HistoryRow[]) => rows.map((r) => r.seq);

describe('hand-outs judged again: the servicing rows they supersede', () => {
  beforeEach(() => {
    seq = 0;
  });

  it('a termination judged again replaces its earlier hand-out; a hand-out still standing is left alone', () => {
    const issue = row('2026-03-01', 'X');
    const first = row('2026-06-30', 'Y', 'X', LL);
    const again = row('2026-06-30', 'W', 'X', LL);
    expect(supersededRows([issue, first], '2026-06-30')).toEqual([]);
    expect(supersededRows([issue, first, again], '2026-06-30')).toEqual([first]);
  });

  it("the successor's own later termination no longer hands on a policy it did not have then", () => {
    const issue = row('2026-03-01', 'X');
    const first = row('2026-06-30', 'Y', 'X', LL);
    const successors = row('2026-09-30', 'Z', 'Y', LL);
    const again = row('2026-06-30', 'W', 'X', LL);
    expect(seqs(supersededRows([issue, first, successors, again], '2026-06-30'))).toEqual([first.seq, successors.seq]);
    // Judged again to the same successor's termination: it still hands the policy on.
    const back = row('2026-06-30', 'Y', 'X', LL);
    expect(seqs(supersededRows([issue, successors, back], '2026-06-30'))).toEqual([]);
  });

  it("a coordinator's reassignment of the successor's book stands only while the successor had the policy", () => {
    const issue = row('2026-03-01', 'X');
    const first = row('2026-06-30', 'Y', 'X', LL);
    const coordinator = row('2026-11-23', 'C', 'Y', 'coordinator');
    const again = row('2026-06-30', 'W', 'X', LL);
    expect(seqs(supersededRows([issue, first, coordinator, again], '2026-06-30'))).toEqual([first.seq, coordinator.seq]);
    const viaSuccessor = [issue, row('2026-06-30', 'V2', 'X', LL), row('2026-09-30', 'V1', 'V2', LL), row('2026-11-23', 'C', 'V1', 'coordinator')];
    const direct = row('2026-06-30', 'V1', 'X', LL);
    const all = [...viaSuccessor, direct];
    const superseded = supersededRows(all, '2026-06-30');
    expect(seqs(superseded)).toEqual([viaSuccessor[1].seq, viaSuccessor[2].seq]);
    // The coordinator's still stands: it is applied again on top of the hand-out judged again.
    expect(handOutsOnTop(all, superseded, '2026-06-30')).toEqual([viaSuccessor[3]]);
  });

  it('a chain is followed through: a hand-out by an agent who lost the policy upstream goes too; a renewal names its agent whoever had it', () => {
    const issue = row('2026-03-01', 'X');
    const chain = [row('2026-06-30', 'Y', 'X', LL), row('2026-09-30', 'Z', 'Y', LL), row('2026-10-31', 'Q', 'Z', LL)];
    const renewal = row('2027-03-01', 'R', 'Q', 'renewal');
    const afterRenewal = row('2027-06-30', 'S', 'R', LL);
    const again = row('2026-06-30', 'W', 'X', LL);
    const superseded = supersededRows([issue, ...chain, renewal, afterRenewal, again], '2026-06-30');
    expect(seqs(superseded)).toEqual(seqs(chain));
    expect(handOutsOnTop([issue, ...chain, renewal, afterRenewal, again], superseded, '2026-06-30')).toEqual([afterRenewal]);
  });

  it('restates on the date of each later superseded hand-out the standing hand-out in effect then', () => {
    const issue = row('2026-03-01', 'X');
    const first = row('2026-06-30', 'Y', 'X', LL);
    const renewal = row('2027-03-01', 'R', 'Y', 'renewal');
    const successors = row('2027-06-30', 'Z', 'R', LL);
    const again = row('2026-06-30', 'W', 'X', LL);
    const all = [issue, first, successors, again];
    const superseded = supersededRows(all, '2026-06-30');
    expect(seqs(superseded)).toEqual([first.seq, successors.seq]);
    // The replaced hand-out is on the date judged again: the new one takes its place there.
    expect(restatements(all, superseded, '2026-06-30')).toEqual([{ ...again, seq: successors.seq, effectiveDate: '2027-06-30' }]);
    // A renewal between stands: the successor's hand-out by the agent it names stands too.
    expect(supersededRows([issue, first, renewal, successors, again], '2026-06-30')).toEqual([first]);
  });

  it('leaves rows dated before the hand-out judged again as they are, and a history without its issue starts from its first row', () => {
    const earlier = row('2026-05-31', 'Y', 'V', LL);
    const again = row('2026-06-30', 'W', 'Y', LL);
    expect(supersededRows([earlier, again], '2026-06-30')).toEqual([]);
    // A coordinator's reassignment that day by an agent who never had the policy no longer stands.
    const sameDay = row('2026-06-30', 'Z', 'Q', 'coordinator');
    expect(supersededRows([earlier, sameDay, row('2026-06-30', 'W', 'Y', LL)], '2026-06-30')).toEqual([sameDay]);
  });

  it("same-day terminations are simultaneous: a successor leaving on the leaver's own date no longer hands on what the redone hand-out gave them", () => {
    const issue = row('2026-03-01', 'X');
    const first = row('2026-06-30', 'Y', 'X', LL); // Y was still a candidate when X's termination was judged
    const successors = row('2026-06-30', 'Z', 'Y', LL); // Y's own termination, the same day
    const again = row('2026-06-30', 'W', 'X', LL);
    const all = [issue, first, successors, again];
    const superseded = supersededRows(all, '2026-06-30');
    expect(seqs(superseded)).toEqual([first.seq, successors.seq]);
    // Whatever order they were recorded in.
    expect(seqs(supersededRows([issue, successors, first, again], '2026-06-30'))).toEqual([successors.seq, first.seq].sort((a, b) => a - b));
    // Nothing of that day is restated: the hand-out judged again is the ledger's last of it.
    expect(restatements(all, superseded, '2026-06-30')).toEqual([]);
    expect(handOutsOnTop(all, superseded, '2026-06-30')).toEqual([]);
  });

  it("a coordinator's reassignment made on the leaver's date comes after the day's terminations: it stands by the agent the hand-out judged again gives the policy", () => {
    const issue = row('2026-03-01', 'X');
    const first = row('2026-11-23', 'Y', 'X', LL);
    const byY = row('2026-11-23', 'C', 'Y', 'coordinator');
    const again = row('2026-11-23', 'W', 'X', LL);
    expect(seqs(supersededRows([issue, first, byY, again], '2026-11-23'))).toEqual([first.seq, byY.seq]);
    const byW = row('2026-11-23', 'C', 'W', 'coordinator');
    const again2 = row('2026-11-23', 'W', 'X', LL);
    const all = [issue, first, byW, again2];
    const superseded = supersededRows(all, '2026-11-23');
    expect(seqs(superseded)).toEqual([first.seq]);
    // Recorded before the hand-out judged again, the ledger placed it before: applied again on top.
    expect(handOutsOnTop(all, superseded, '2026-11-23')).toEqual([byW]);
  });
});

describe('a hand-out taken back: judged again, its rule finds nobody', () => {
  beforeEach(() => {
    seq = 0;
  });

  it("supersedes the termination's hand-out that day and what its successor did with the policy since, and restates the leaver", () => {
    const issue = row('2026-03-01', 'X');
    const handOut = row('2026-06-30', 'Y', 'X', LL);
    const successors = row('2026-06-30', 'Z', 'Y', LL); // Y left the same day
    const later = row('2026-09-30', 'Q', 'Z', LL); // Z's own later termination
    const renewal = row('2027-03-01', 'R', 'Q', 'renewal');
    const afterRenewal = row('2027-06-30', 'S', 'R', LL);
    const { superseded, onTop, restated } = takenBack([issue, handOut, successors, later, renewal, afterRenewal], { agentId: 'X', date: '2026-06-30', rule: LL }, 'Q');
    expect(seqs(superseded)).toEqual([handOut.seq, successors.seq, later.seq]);
    expect(onTop).toEqual([afterRenewal]);
    expect(restated).toEqual([{ seq: later.seq, effectiveDate: '2026-09-30', agentId: 'X', fromAgentId: 'Q', rule: LL }]);
  });

  it('restates the giver of a renewal recorded while a superseded hand-out held the policy: the agent before it in business order, even the one it names', () => {
    const issue = row('2026-03-01', 'X');
    const handOut = row('2026-06-30', 'Y', 'X', LL);
    const toX = row('2027-03-01', 'X', 'Y', 'renewal'); // recorded while Y had the policy, naming X
    const { superseded, regiven } = takenBack([issue, handOut, toX], { agentId: 'X', date: '2026-06-30', rule: LL }, 'X');
    expect(superseded).toEqual([handOut]);
    expect(regiven).toEqual([{ row: toX, fromAgentId: 'X' }]);
    const toR = row('2027-03-01', 'R', 'Y', 'renewal');
    expect(takenBack([issue, handOut, toR], { agentId: 'X', date: '2026-06-30', rule: LL }, 'R').regiven).toEqual([{ row: toR, fromAgentId: 'X' }]);
    // A renewal naming the agent a standing hand-out gave the policy is left as recorded.
    const standing = row('2026-09-30', 'Z', 'X', 'team-leader');
    const toS = row('2027-03-01', 'S', 'Z', 'renewal');
    expect(takenBack([issue, standing, toS], { agentId: 'X', date: '2026-06-30', rule: LL }, 'S').regiven).toEqual([]);
  });

  it("leaves another termination's hand-outs and those of an agent who still had the policy alone", () => {
    const issue = row('2026-03-01', 'V');
    const earlier = row('2026-05-31', 'X', 'V', 'team-leader');
    const handOut = row('2026-06-30', 'L', 'X', 'team-leader');
    const { superseded, onTop, restated } = takenBack([issue, earlier, handOut], { agentId: 'X', date: '2026-06-30', rule: 'team-leader' }, 'L');
    expect(superseded).toEqual([handOut]);
    expect(onTop).toEqual([]);
    expect(restated).toEqual([]);
  });
});

describe("a coordinator's reassignment of a whole book: the agent's book as of its date", () => {
  beforeEach(() => {
    seq = 0;
  });
  const book = (id: number, fromAgentId: string, toAgentId: string, effectiveDate: string, afterSeq: number): BookReassignment =>
    ({ id, fromAgentId, toAgentId, effectiveDate, afterSeq, reason: 'moves to commercial lines' });

  it('is undone for a policy a later-arriving fact gives the agent before it, and done once its hand-out stands', () => {
    const issue = row('2026-03-01', 'X');
    const whole = book(1, 'Y', 'C', '2026-11-23', 5);
    expect(bookReassignmentDue([issue], [whole])).toBeUndefined();
    const late = row('2026-06-30', 'Y', 'X', LL); // judged again after the reassignment was made
    expect(bookReassignmentDue([issue, late], [whole])).toBe(whole);
    expect(bookReassignmentDue([issue, late, { ...row('2026-11-23', 'C', 'Y', 'coordinator'), bookId: 1 }], [whole])).toBeUndefined();
    // A named reassignment with its giver, taker and day (made after it) is not its own hand-out.
    expect(bookReassignmentDue([issue, late, { ...row('2026-11-23', 'C', 'Y', 'coordinator'), seq: 9 }], [whole])).toBe(whole);
  });

  it("takes the day's terminations and the coordinator's reassignments made before it, not those made after nor later days", () => {
    const issue = row('2026-03-01', 'X');
    const sameDayTermination = row('2026-11-23', 'Y', 'X', LL); // recorded late, but effective as the day began
    expect(servicerAsMade([issue, sameDayTermination], { effectiveDate: '2026-11-23', afterSeq: 1 })).toBe('Y');
    const before = row('2026-11-23', 'Y', 'X', 'coordinator'); // seq 3
    const after = row('2026-11-23', 'D', 'Y', 'coordinator'); // seq 4
    expect(servicerAsMade([issue, before, after], { effectiveDate: '2026-11-23', afterSeq: 3 })).toBe('Y');
    expect(servicerAsMade([issue, before, after], { effectiveDate: '2026-11-23', afterSeq: 4 })).toBe('D');
    // A renewal naming another agent next year, or the issue of a policy starting later, as the book has it today.
    expect(servicerAsMade([issue, row('2027-03-01', 'R', 'X', 'renewal')], { effectiveDate: '2026-11-23', afterSeq: 9 })).toBe('X');
    expect(servicerAsMade([row('2027-01-01', 'X')], { effectiveDate: '2026-11-23', afterSeq: 9 })).toBe('X');
  });

  it('follows a chain in business order: the taker\'s own whole-book reassignment later on', () => {
    const issue = row('2026-03-01', 'X');
    const late = row('2026-06-30', 'Y', 'X', LL);
    const first = book(1, 'Y', 'C', '2026-10-01', 0);
    const second = book(2, 'C', 'D', '2026-11-23', 0);
    expect(bookReassignmentDue([issue, late], [second, first])).toBe(first);
    expect(bookReassignmentDue([issue, late, { ...row('2026-10-01', 'C', 'Y', 'coordinator'), bookId: 1 }], [second, first])).toBe(second);
  });

  it("each coordinator's reassignment is its own: one from the same agent the same day is not replaced by a later one", () => {
    const issue = row('2026-03-01', 'X');
    const toC = row('2026-11-23', 'C', 'X', 'coordinator');
    const back = row('2026-11-23', 'X', 'C', 'coordinator');
    const toD = row('2026-11-23', 'D', 'X', 'coordinator');
    expect(supersededRows([issue, toC, back, toD], '2026-11-23')).toEqual([]);
  });

  it("a leaver's own termination dated the day a coordinator reassigned their book comes first: the coordinator's hand-out from the leaver no longer stands", () => {
    const issue = row('2026-03-01', 'X');
    const coordinator = row('2026-11-23', 'C', 'X', 'coordinator'); // the whole book, made before the termination arrived
    const termination = row('2026-11-23', 'W', 'X', LL); // the termination's hand-out, recorded after it
    expect(supersededRows([issue, coordinator, termination], '2026-11-23')).toEqual([coordinator]);
    const whole = book(1, 'X', 'C', '2026-11-23', 2);
    expect(servicerAsMade([issue, termination], whole)).toBe('W');
    expect(bookReassignmentDue([issue, termination], [whole])).toBeUndefined();
  });

  it("its hand-out of a policy not in force on its date is taken back by the hand-outs naming it alone, the giver restated", () => {
    const issue = row('2026-03-01', 'X');
    const whole = { ...row('2026-11-23', 'C', 'X', 'coordinator'), bookId: 1 };
    const later = row('2027-01-31', 'E', 'C', LL); // C's own later termination
    const named = row('2026-11-23', 'D', 'X', 'coordinator'); // another reassignment from X that day
    const sameTriple = row('2026-11-23', 'C', 'X', 'coordinator'); // a named one with the book's giver, taker and day
    expect(bookHandOuts([issue, whole, later, named, sameTriple], book(1, 'X', 'C', '2026-11-23', 0))).toEqual([whole]);
    expect(bookHandOuts([issue, sameTriple, later], book(1, 'X', 'C', '2026-11-23', 0))).toEqual([]);
    expect(takenBack([issue, sameTriple, later], { agentId: 'X', date: '2026-11-23', rule: 'coordinator', bookId: 1 }, 'E').superseded).toEqual([]);
    const { superseded, onTop, restated } = takenBack([issue, whole, later], { agentId: 'X', date: '2026-11-23', rule: 'coordinator', bookId: 1 }, 'E');
    expect(seqs(superseded)).toEqual([whole.seq, later.seq]);
    expect(onTop).toEqual([]);
    expect(restated.map((r) => [r.effectiveDate, r.fromAgentId, r.agentId])).toEqual([['2027-01-31', 'E', 'X']]);
  });

  it("its taken-back hand-out keeps a renewal row naming its giver, recorded from its taker while it stood, with the giver before it", () => {
    const issue = row('2026-03-01', 'X');
    const whole = { ...row('2026-11-23', 'C', 'X', 'coordinator'), bookId: 1 };
    const renewal = row('2027-03-01', 'X', 'C', 'renewal');
    const { superseded, regiven } = takenBack([issue, whole, renewal], { agentId: 'X', date: '2026-11-23', rule: 'coordinator', bookId: 1 }, 'X');
    expect(superseded).toEqual([whole]);
    expect(regiven).toEqual([{ row: renewal, fromAgentId: 'X' }]);
  });
});

describe('a whole-book reassignment takes the policies in force on its date by their status history', () => {
  const terms = [{ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' }];
  const change = (effectiveDate: string, status: 'in-force' | 'cancelled' | 'lapsed', reportedAt = `${effectiveDate}T09:00:00Z`) => ({ effectiveDate, status, reportedAt });

  it('leaves out one cancelled or lapsed before its date, whatever order the changes arrived in, and takes one reinstated by then', () => {
    expect(inBookOn({ terms }, '2026-11-23')).toBe(true);
    expect(inBookOn({ terms, statusChanges: [change('2026-05-01', 'cancelled')] }, '2026-11-23')).toBe(false);
    expect(inBookOn({ terms, statusChanges: [change('2026-05-01', 'lapsed')] }, '2026-11-23')).toBe(false);
    expect(inBookOn({ terms, statusChanges: [change('2026-06-01', 'in-force', '2026-12-01T00:00:00Z'), change('2026-04-01', 'cancelled')] }, '2026-11-23')).toBe(true);
    // Cancelled after its date: the book took it.
    expect(inBookOn({ terms, statusChanges: [change('2026-12-01', 'cancelled')] }, '2026-11-23')).toBe(true);
  });

  it('takes, as the portfolio status does, a policy starting later (unless withdrawn), one whose term has run out, and one renewed since a lapse', () => {
    const later = [{ effectiveDate: '2027-01-01', expiryDate: '2027-12-31' }];
    expect(inBookOn({ terms: later }, '2026-11-23')).toBe(true);
    expect(inBookOn({ terms: later, statusChanges: [change('2026-12-20', 'cancelled')] }, '2026-11-23')).toBe(false);
    expect(inBookOn({ terms }, '2027-06-01')).toBe(true);
    const renewed = [...terms, { effectiveDate: '2027-03-01', expiryDate: '2028-02-29' }];
    expect(inBookOn({ terms: renewed, statusChanges: [change('2027-01-15', 'lapsed')] }, '2027-06-01')).toBe(true);
    expect(inBookOn({ terms: renewed, statusChanges: [change('2027-01-15', 'lapsed')] }, '2027-02-01')).toBe(false);
  });
});

describe("a coordinator's reassignments made the same day: in the order they were made, whenever a late fact has a whole-book one followed", () => {
  beforeEach(() => {
    seq = 0;
  });
  const book = (id: number, fromAgentId: string, toAgentId: string, effectiveDate: string, afterSeq: number): BookReassignment =>
    ({ id, fromAgentId, toAgentId, effectiveDate, afterSeq, reason: 'moves to commercial lines' });
  const bookRow = (whole: BookReassignment): HistoryRow =>
    ({ ...row(whole.effectiveDate, whole.toAgentId, whole.fromAgentId, 'coordinator'), bookId: whole.id, madeAfterSeq: whole.afterSeq });

  // X left on 30 June: its hand-out to C (by the loads known then) is judged again to Y once a late transfer arrives. In between a
  // coordinator handed Y's whole book to C (made after row 2: X's hand-out to C) and then the policy alone from C to D.
  const history = () => {
    const issue = row('2026-03-01', 'X');
    const first = row('2026-06-30', 'C', 'X', LL);
    const whole = book(1, 'Y', 'C', '2026-11-23', first.seq);
    const named = row('2026-11-23', 'D', 'C', 'coordinator'); // made after the whole book
    const again = row('2026-06-30', 'Y', 'X', LL);
    return { issue, first, whole, named, again };
  };

  it('places a whole-book reassignment recorded late where it was made: a named one made after it that day stands after it', () => {
    const { issue, first, whole, named, again } = history();
    const followed = bookRow(whole); // recorded after the named one
    expect(supersededRows([issue, first, named, again, followed], '2026-11-23')).toEqual([first]);
    expect(handOutsOnTop([issue, named, again, followed], [], '2026-11-23')).toEqual([followed, named]);
    // Placed where it was recorded, the named one would be by an agent who no longer had the policy.
    expect(supersededRows([issue, first, named, again, { ...followed, madeAfterSeq: null }], '2026-11-23')).toEqual([first, named]);
  });

  it('judges the later hand-outs with the whole-book reassignments a hand-out leaves undone counted as done', () => {
    const { issue, first, whole, named, again } = history();
    expect(supersededRows([issue, first, named, again], '2026-06-30')).toEqual([first, named]);
    expect(supersededWithBooks([issue, first, named, again], '2026-06-30', [whole])).toEqual([first]);
    // The taker's own whole book, made later that day, and a named one by its taker after it.
    const chained = book(2, 'C', 'E', '2026-11-23', named.seq);
    const byE = row('2026-11-23', 'F', 'E', 'coordinator');
    expect(supersededWithBooks([issue, first, again, byE], '2026-06-30', [whole, chained])).toEqual([first]);
    // With the named one, made before it, C no longer had the policy for the taker's book: E never had it.
    expect(supersededWithBooks([issue, first, named, again, byE], '2026-06-30', [whole, chained])).toEqual([first, byE]);
  });

  it('judges the later hand-outs, when a hand-out is taken back, with the whole-book reassignments the leaver keeping the policy leaves undone counted as done', () => {
    // X left on 30 June, its hand-out to C judged again to nobody. Today a coordinator handed X's whole book to C (made after row 2),
    // then the policy alone from C to D: with X keeping the policy, the book takes it to C first, so the named one by C stands.
    const issue = row('2026-03-01', 'X');
    const handOut = row('2026-06-30', 'C', 'X', LL);
    const whole = book(1, 'X', 'C', '2026-11-23', handOut.seq);
    const named = row('2026-11-23', 'D', 'C', 'coordinator');
    const leaver = { agentId: 'X', date: '2026-06-30', rule: LL };
    expect(takenBack([issue, handOut, named], leaver, 'D').superseded).toEqual([handOut, named]);
    const { superseded, onTop } = takenBack([issue, handOut, named], leaver, 'D', [whole]);
    expect(superseded).toEqual([handOut]);
    expect(onTop).toEqual([named]);
    // The whole-book reassignment taken back (the policy not in force on its date) is never counted as done.
    const followed = bookRow(whole);
    expect(takenBack([issue, followed, named], { agentId: 'X', date: '2026-11-23', rule: 'coordinator', bookId: 1 }, 'D', [whole]).superseded)
      .toEqual([named, followed]);
  });

  it("counts another whole-book reassignment's row recorded late as made where its book was, never the book's own", () => {
    const issue = row('2026-03-01', 'X');
    const earlier = book(1, 'X', 'C', '2026-11-23', 1);
    const later = book(2, 'C', 'E', '2026-11-23', 4);
    const earliersRow = { ...bookRow(earlier), seq: 9 };
    expect(servicerAsMade([issue, earliersRow], later)).toBe('C');
    expect(servicerAsMade([issue, earliersRow], earlier)).toBe('X');
    expect(bookReassignmentDue([issue, earliersRow], [earlier, later])).toBe(later);
  });
});

describe('a renewal naming its agent keeps its row, whatever hand-out a late fact puts before it', () => {
  beforeEach(() => {
    seq = 0;
  });

  // X services the policy; a renewal for March 2027 names X (recorded while X had it: its own giver), and a coordinator's
  // whole-book reassignment from X to C dated before the new term arrives after it (made later, or followed late).
  const history = () => {
    const issue = row('2026-03-01', 'X');
    const renewal = row('2027-03-01', 'X', 'X', 'renewal');
    const whole = { ...row('2026-11-23', 'C', 'X', 'coordinator'), bookId: 1 };
    return { issue, renewal, whole };
  };

  it('names the agent before it as its giver in business order: the taker of a hand-out dated before it that arrived after it', () => {
    const { issue, renewal, whole } = history();
    expect(renewalsRegiven([issue, renewal])).toEqual([]);
    expect(renewalsRegiven([issue, renewal, whole])).toEqual([{ row: renewal, fromAgentId: 'C' }]);
    // The hand-out taken back: the renewal's agent is its giver again.
    expect(renewalsRegiven([issue, { ...renewal, fromAgentId: 'C' }, whole], [whole])).toEqual([{ row: { ...renewal, fromAgentId: 'C' }, fromAgentId: 'X' }]);
  });

  it('services the policy by its agent from the new term: a later hand-out by the earlier taker no longer stands', () => {
    const { issue, renewal, whole } = history();
    const byC = row('2027-06-30', 'D', 'C', LL); // C's own later termination
    expect(supersededRows([issue, renewal, whole, byC], '2026-11-23')).toEqual([byC]);
  });

  it('is never superseded when the hand-out it was recorded under is taken back, so it counts once the book hands the policy on again', () => {
    const { issue, whole } = history();
    const renewal = row('2027-03-01', 'X', 'C', 'renewal'); // recorded while the book had the policy
    const { superseded, regiven } = takenBack([issue, whole, renewal], { agentId: 'X', date: '2026-11-23', rule: 'coordinator', bookId: 1 }, 'X');
    expect(superseded).toEqual([whole]);
    const restated = { ...renewal, fromAgentId: regiven[0].fromAgentId };
    expect(restated.fromAgentId).toBe('X');
    // A late reinstatement has the book hand the policy on again: the renewal still has X service it from the new term.
    const again = { ...row('2026-11-23', 'C', 'X', 'coordinator'), bookId: 1 };
    expect(renewalsRegiven([issue, restated, again])).toEqual([{ row: restated, fromAgentId: 'C' }]);
    expect(supersededRows([issue, restated, again, row('2027-06-30', 'D', 'C', LL)], '2026-11-23').map((r) => r.agentId)).toEqual(['D']);
  });
});
