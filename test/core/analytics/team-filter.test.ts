/**
 * The team filter's release rule (src/core/analytics/team-filter.ts), pure: a team's cell is
 * shown only when the unfiltered cell is, and every atom (managers in the same set of teams,
 * and those in none) holds zero or at least k managers in it, so no two served numbers
 * subtract down to fewer than k managers.
 */
import { describe, expect, it } from 'vitest';
import type { AtomWeekCellRow } from '../../../src/core/analytics/repositories/team-reads.ts';
import { treesOf, type WeekCellRow } from '../../../src/core/analytics/rules.ts';
import { atomHasTeam, SUMMED, teamWeekViews } from '../../../src/core/analytics/team-filter.ts';

const K = 5;
const WEEK = '2026-03-02';

/** A week's total (level 0) in which `managers` managers each got one note. */
function total(managers: number): WeekCellRow {
  const row: WeekCellRow = {
    week: WEEK,
    level: 0,
    family: '',
    topicId: '0',
    planned: managers,
    sent: managers,
    sentWithAction: 0,
    items: 0,
    itemsDone: 0,
    itemsLapsed: 0,
    remindersAsked: 0,
    remindersAnswered: 0,
    usefulnessSum: 0,
    usefulnessCount: 0,
    notRelevant: 0,
    unsubscribed: 0,
    plannedManagers: managers,
    sentManagers: managers,
    itemManagers: 0,
    remindedManagers: 0,
    raterManagers: 0,
    unsubscribedManagers: 0,
  };
  return row;
}

const atom = (name: string, managers: number): AtomWeekCellRow => ({
  ...total(managers),
  atom: name,
});

function view(everyone: number, atoms: AtomWeekCellRow[], team: string) {
  const views = teamWeekViews(treesOf([total(everyone)]), atoms, team, [0], K);
  const week = views.get(WEEK);
  return { sent: week?.tree.total?.sent, shown: week?.released.total.sent };
}

describe('the team filter', () => {
  it("adds up every measure of a team's atoms, field by field", () => {
    // Each count a different number, so that a field left out of the sum shows.
    const numbered = (name: string, base: number): AtomWeekCellRow => {
      const row = atom(name, 0);
      for (const [index, field] of SUMMED.entries()) row[field] = base + index;
      return row;
    };
    const [first, second] = [numbered('1', 100), numbered('1,2', 1_000)];
    const whole = numbered('', 10_000);
    const views = teamWeekViews(treesOf([whole]), [first, second], '1', [0], K);
    const sum = views.get(WEEK)?.tree.total;
    for (const field of SUMMED) expect(sum?.[field], field).toBe(first[field] + second[field]);
  });

  it('names the teams of an atom exactly', () => {
    expect(atomHasTeam('3,12', '12')).toBe(true);
    expect(atomHasTeam('3,12', '1')).toBe(false);
  });

  it('when two teams split everyone into groups of at least k, then each team is shown', () => {
    const atoms = [atom('1', 6), atom('2', 6)];
    expect(view(12, atoms, '1')).toEqual({ sent: 6, shown: true });
    expect(view(12, atoms, '2')).toEqual({ sent: 6, shown: true });
  });

  it('when a team is another plus one manager, then neither is shown, though each has k', () => {
    // Team 1 is six managers; team 2 the same six and one more: atoms "1,2" (6) and "2" (1).
    const atoms = [atom('1,2', 6), atom('2', 1)];
    expect(view(12, atoms, '1')).toEqual({ sent: 6, shown: false });
    expect(view(12, atoms, '2')).toEqual({ sent: 7, shown: false });
  });

  it('when the managers outside every team are fewer than k, then no team is shown', () => {
    expect(view(8, [atom('1', 6)], '1')).toEqual({ sent: 6, shown: false });
    expect(view(11, [atom('1', 6)], '1')).toEqual({ sent: 6, shown: true });
  });

  it('when the atoms add up to more than everyone (two snapshots), then nothing is shown', () => {
    expect(view(6, [atom('1', 6), atom('2', 5)], '1').shown).toBe(false);
  });

  it('when everyone is fewer than k, then the team is not shown either', () => {
    expect(view(4, [atom('1', 4)], '1').shown).toBe(false);
  });
});
