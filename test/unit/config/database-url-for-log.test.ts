import { databaseUrlForLog } from '../../../src/config/env';

describe('databaseUrlForLog (the start-up log never shows the database password)', () => {
  it.each([
    ['postgres://bridge:s3cret@db:5432/itsm', 'postgres://bridge:***@db:5432/itsm'],
    ['postgresql://bridge:p%40ss@db/itsm?sslmode=require', 'postgresql://bridge:***@db/itsm?sslmode=require'],
    ['postgres://bridge:raw/sl@sh@db/itsm', 'postgres://bridge:***@db/itsm'],
    ['postgres://:only-password@db/itsm', 'postgres://:***@db/itsm'],
    ['postgres://bridge@db/itsm', 'postgres://bridge@db/itsm'],
    ['sqlite:./data/itsm-bridge.sqlite', 'sqlite:./data/itsm-bridge.sqlite'],
  ])('%s → %s', (url, logged) => {
    expect(databaseUrlForLog(url)).toBe(logged);
  });
});
