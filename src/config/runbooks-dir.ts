import { existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/**
 * Where runbooks are read from: a relative `runbooks.dir` is resolved next to the config file; the
 * default `runbooks` falls back to the runbooks shipped with itsm-bridge when there is none there.
 */
export function runbooksDir(configFile: string, dir: string): string {
  const candidate = resolve(dirname(configFile), dir);
  if (existsSync(candidate) || dir !== 'runbooks') return candidate;
  const root = __dirname.includes(`${sep}dist${sep}`)
    ? resolve(__dirname, '..', '..', '..')
    : resolve(__dirname, '..', '..');
  return resolve(root, 'runbooks');
}
