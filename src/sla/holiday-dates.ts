import Holidays from 'date-holidays';

/**
 * Local dates (`YYYY-MM-DD`) of public holidays for a country and state, e.g. DE + BY, from the maintained
 * date-holidays data. Only type `public` counts: observances (Rosenmontag) and school holidays
 * (Buß- und Bettag outside Saxony) are working days. Computed here, outside the pure core.
 */
export function holidayDates(
  country: string,
  state: string | undefined,
  fromYear: number,
  toYear: number,
): string[] {
  const hd = state ? new Holidays(country, state) : new Holidays(country);
  const dates: string[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    for (const h of hd.getHolidays(y)) {
      // `date` is the local date and time "YYYY-MM-DD hh:mm:ss"; the first 10 characters are the date.
      if (h.type === 'public') dates.push(h.date.slice(0, 10));
    }
  }
  return dates;
}
