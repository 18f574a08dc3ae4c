import { addDays, addMonths, addWeeks, ageOn, daysBetween, isIsoDate, today } from '../calendar';

describe('calendar', () => {
  it.each([
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-03-31', 1, '2023-04-30'],
    ['2023-01-15', 1, '2023-02-15'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2023-02-17', 24, '2025-02-17'],
    ['2023-11-30', 3, '2024-02-29'],
    ['2023-03-31', -1, '2023-02-28'],
    ['2022-12-31', 12, '2023-12-31'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });

  it('adds days and weeks across month and year ends', () => {
    expect(addDays('2023-12-25', 10)).toBe('2024-01-04');
    expect(addWeeks('2023-02-10', 3)).toBe('2023-03-03');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('counts days between dates, signed', () => {
    expect(daysBetween('2023-01-13', '2023-02-17')).toBe(35);
    expect(daysBetween('2023-02-17', '2023-01-13')).toBe(-35);
    // A day with a daylight-saving change in Paris is still one day.
    expect(daysBetween('2023-03-25', '2023-03-27')).toBe(2);
  });

  it('computes ages in completed years, 29 February included', () => {
    expect(ageOn('2007-05-10', '2023-05-09')).toBe(15);
    expect(ageOn('2007-05-10', '2023-05-10')).toBe(16);
    expect(ageOn('2008-02-29', '2024-02-28')).toBe(15);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
  });

  it('refuses what is not a calendar date', () => {
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('23-02-01')).toBe(false);
    expect(() => addMonths('2023-13-01', 1)).toThrow(/not a date of the calendar/);
  });

  it('tells today in Europe/Paris, not in UTC', () => {
    // 23:30 UTC on 31 December is already 1 January in Paris (UTC+1 in winter).
    expect(today(new Date('2023-12-31T23:30:00Z'))).toBe('2024-01-01');
    // 22:30 UTC on 30 June is 00:30 on 1 July in Paris (UTC+2 in summer).
    expect(today(new Date('2023-06-30T22:30:00Z'))).toBe('2023-07-01');
    expect(today(new Date('2023-06-30T21:30:00Z'))).toBe('2023-06-30');
  });
});
