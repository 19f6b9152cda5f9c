import { nationalHolidayName } from './national-holiday-name.util';
import { nationalHolidaysOf } from '../business-calendar';

describe('nationalHolidayName', () => {
  it.each([
    ['a day between two holidays (the data says 休日)', { name: '休日', name_en: "Citizen's Holiday" }, '国民の休日'],
    ['a substitute holiday as the data writes it', { name: 'こどもの日 振替休日', name_en: 'Holiday in lieu' }, 'こどもの日 振替休日'],
    ['a substitute holiday the data left unnamed', { name: 'こどもの日', name_en: 'Holiday in lieu' }, 'こどもの日 振替休日'],
    ['a named holiday', { name: '秋分の日', name_en: 'Autumnal Equinox Day' }, '秋分の日'],
  ])('%s', (_name, entry, expected) => expect(nationalHolidayName(entry)).toBe(expected));
});

describe('the national holidays of a year, as the calendar page lists them', () => {
  it('names Silver Week 2026: 敬老の日, 国民の休日, 秋分の日', () => {
    const september = nationalHolidaysOf(2026).filter((h) => h.date.startsWith('2026-09-'));
    expect(september).toEqual([
      { date: '2026-09-21', name: '敬老の日' }, { date: '2026-09-22', name: '国民の休日' }, { date: '2026-09-23', name: '秋分の日' },
    ]);
  });

  it('names the 振替休日 of Golden Week 2026', () => {
    expect(nationalHolidaysOf(2026).find((h) => h.date === '2026-05-06')?.name).toBe('こどもの日 振替休日');
  });

  it('never lists a bare 休日', () => {
    for (const year of [2019, 2026, 2032, 2037]) expect(nationalHolidaysOf(year).map((h) => h.name)).not.toContain('休日');
  });
});
