import { RosterEntry } from '@kkd/assignment';
import { CATEGORIES, CATEGORY_LABELS, Category } from '@kkd/consults';
import { NEW_CONSULT_NOTICE_LABELS, NEW_CONSULT_NOTICES, StaffAbsence, StaffRole, StaffUser } from '@kkd/staff';

const ROLE_LABELS: Record<StaffRole, string> = { expert: '専門家', manager: 'マネージャー', admin: '管理者' };
const md = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`;
const categoryLabel = (code: string) => CATEGORY_LABELS[code as Category] ?? code;

/** 「2026-08-12 〜 2026-08-14」, or the day alone. */
export function absencePeriod(a: Pick<StaffAbsence, 'startsOn' | 'endsOn'>): string {
  return a.endsOn !== a.startsOn ? `${a.startsOn} 〜 ${a.endsOn}` : a.startsOn;
}

/** What the console says about whether someone takes consults now. */
function availability(user: StaffUser, absentUntil: string | null): { label: string; kind: 'inactive' | 'absent' | 'available' } {
  if (!user.active) return { label: '無効', kind: 'inactive' };
  if (absentUntil) return { label: `不在（${md(absentUntil)} まで）`, kind: 'absent' };
  return { label: '対応可', kind: 'available' };
}

/** The team table: every roster entry, with links to the edit page for managers. */
export function rosterRows(roster: RosterEntry[]) {
  return roster.map((e) => {
    const state = availability(e.user, e.absentUntil);
    return {
      id: e.user.id, name: e.user.name, role: ROLE_LABELS[e.user.role] ?? e.user.role,
      skills: e.skills.map(categoryLabel).join('、') || '—',
      load: e.load, capacity: e.user.capacity, full: e.user.active && e.load >= e.user.capacity,
      state: state.label, stateKind: state.kind,
      absences: e.absences.map((a) => ({ period: absencePeriod(a), note: a.note })),
    };
  });
}

export interface ProfileFormValues {
  skills: string[];
  capacity: string;
  active: boolean;
  /** off / immediate / digest, as chosen (or typed, after a refused post). */
  newConsultNotice: string;
}

/** The edit page of one staff member. */
export function expertPage(user: StaffUser, skills: string[], load: number, absentUntil: string | null, absences: StaffAbsence[], profile: ProfileFormValues) {
  const state = availability(user, absentUntil);
  return {
    expert: {
      id: user.id, name: user.name, email: user.email, role: ROLE_LABELS[user.role] ?? user.role,
      skills: skills.map(categoryLabel).join('、') || '—', load, capacity: user.capacity, state: state.label, stateKind: state.kind,
    },
    skillOptions: CATEGORIES.map((code) => ({ value: code, label: CATEGORY_LABELS[code], checked: profile.skills.includes(code) })),
    noticeOptions: NEW_CONSULT_NOTICES.map((code) => ({ value: code, label: NEW_CONSULT_NOTICE_LABELS[code], checked: profile.newConsultNotice === code })),
    noticeLabel: NEW_CONSULT_NOTICE_LABELS[user.newConsultNotice] ?? user.newConsultNotice,
    profile,
    absences: absences.map((a) => ({ id: a.id, period: absencePeriod(a), note: a.note })),
  };
}
