import { Category, CATEGORY_LABELS } from '@kkd/consults';

export interface ExpertCandidate {
  id: number;
  name: string;
  email: string;
  active: boolean;
  /** Category codes the expert handles. */
  skills: readonly string[];
  capacity: number;
  /** Open consults assigned now. */
  load: number;
  /** Order of the expert's last assignment (0: never assigned): the round robin. */
  lastAssignmentSeq: number;
  /** Absent on the day of the decision (with the last day of the absence), or null. */
  absentUntil: string | null;
}

export type AssignmentChoice =
  | { expert: ExpertCandidate; reason: string }
  | { expert: null; reason: string };

/**
 * The assignment rule: among experts who are active, not absent and have the category's skill,
 * and who are below capacity, the lowest load relative to capacity; ties go to whoever was
 * assigned least recently (round robin), then the lower id. The reason says why, in Japanese, as
 * the timeline shows it.
 */
export function chooseExpert(candidates: readonly ExpertCandidate[], category: Category): AssignmentChoice {
  const label = CATEGORY_LABELS[category];
  const skilled = candidates.filter((c) => c.active && c.skills.includes(category));
  const present = skilled.filter((c) => c.absentUntil === null);
  const fits = present.filter((c) => c.capacity > 0 && c.load < c.capacity);
  if (fits.length === 0) {
    const why = skilled.length === 0 ? `${label}を担当できる有効な担当者がいません`
      : present.length === 0 ? `${label}担当者は全員不在です`
      : `${label}担当者は全員が担当上限に達しています`;
    return { expert: null, reason: why };
  }
  const ranked = [...fits].sort((a, b) => a.load * b.capacity - b.load * a.capacity || a.lastAssignmentSeq - b.lastAssignmentSeq || a.id - b.id);
  const [chosen, runnerUp] = ranked;
  const tiedOnLoad = runnerUp !== undefined && chosen.load * runnerUp.capacity === runnerUp.load * chosen.capacity;
  const why = fits.length === 1 ? '条件を満たす唯一の担当者' : tiedOnLoad ? '最終割当が最も古い' : '負荷が最も低い';
  return { expert: chosen, reason: `${label}担当・担当数 ${chosen.load}/${chosen.capacity}・${why}` };
}
