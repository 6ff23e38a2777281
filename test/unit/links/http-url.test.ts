import { httpUrl } from '../../../src/core/alert/http-url';

describe('httpUrl: only http(s) links leave the bridge (issue 12, finding 6)', () => {
  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'slack://open',
    '//evil.example.com/x',
    'not a url',
    '',
  ])('refuses %j', (value) => {
    expect(httpUrl(value)).toBeNull();
  });

  it.each([
    [
      'https://grafana.example.com/d/abc?var-branch=berlin',
      'https://grafana.example.com/d/abc?var-branch=berlin',
    ],
    ['http://prometheus:9090/graph?g0.expr=up', 'http://prometheus:9090/graph?g0.expr=up'],
    ['HTTPS://Grafana.example.com/x y', 'https://grafana.example.com/x%20y'],
  ])('keeps %j as %j', (value, want) => {
    expect(httpUrl(value)).toBe(want);
  });
});
