import { API_TOKEN, startTestApp, type TestApp } from '../helpers/test-app';

describe('malformed percent-encoding in API paths (issue 12, finding 10)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ yaml: 'slack: { enabled: false }\nteams: { enabled: false }\n' });
  });
  afterAll(() => app.close());

  it.each(['/api/incidents/%E0%A4%A', '/api/oncall/%E0%A4%A.ics'])(
    'answers 400 naming the path for %s, not 500',
    async (path) => {
      const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_path',
        message: expect.stringContaining('%E0%A4%A'),
        issues: [{ path: 'path', message: 'malformed percent-encoding' }],
      });
    },
  );
});
