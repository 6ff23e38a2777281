import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { freePort } from './processes';

/** One benchmark run's database: the URL for the servers, and SQL past them (portable statements only). */
export interface BenchDatabase {
  url: string;
  all(statement: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A fresh SQLite file in `dir`. */
export function sqliteBenchDatabase(dir: string): BenchDatabase {
  const path = join(dir, 'bench.sqlite');
  return {
    url: `sqlite:${path}`,
    async all(statement) {
      const db = new BetterSqlite3(path, { readonly: true });
      try {
        return db.prepare(statement).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    async close() {},
  };
}

/** A PostgreSQL server for the benchmarks: BENCH_DATABASE_URL, or a throwaway cluster of our own. */
export interface BenchPostgres {
  /** A new, empty schema on the server (dropped by its `close`). */
  fresh(): Promise<BenchDatabase>;
  stop(): Promise<void>;
}

const run = (cmd: string, args: string[], asPostgres: boolean) =>
  execFileSync(asPostgres ? 'runuser' : cmd, asPostgres ? ['-u', 'postgres', '--', cmd, ...args] : args, {
    stdio: 'pipe',
  });

/** initdb and pg_ctl of the newest PostgreSQL installed the Debian way, or on PATH. */
function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? join(root, versions[0], 'bin', name) : name;
}

/**
 * Starts a PostgreSQL cluster in a temporary directory on a free port (trust authentication, local
 * only), unless BENCH_DATABASE_URL names a server to use instead. As root the cluster runs as the
 * `postgres` user (initdb refuses root).
 */
export async function benchPostgres(): Promise<BenchPostgres> {
  const given = process.env.BENCH_DATABASE_URL;
  let url: string;
  let stop = async () => {};
  if (given) url = given;
  else {
    const asPostgres = process.getuid?.() === 0;
    const dir = mkdtempSync(join(tmpdir(), 'itsm-bench-pg-'));
    if (asPostgres) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      chownSync(dir, uid, uid);
    }
    const data = join(dir, 'data');
    const port = await freePort();
    run(
      postgresBin('initdb'),
      ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C'],
      asPostgres,
    );
    run(
      postgresBin('pg_ctl'),
      [
        '-D',
        data,
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
        '-l',
        join(dir, 'log'),
        '-w',
        'start',
      ],
      asPostgres,
    );
    url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    stop = async () => {
      run(postgresBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], asPostgres);
      rmSync(dir, { recursive: true, force: true });
    };
  }
  return {
    async fresh() {
      const schema = `bench_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      const scoped = new URL(url);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      await client.query(`SET search_path = ${schema}`);
      return {
        url: scoped.toString(),
        all: async (statement) => (await client.query(statement)).rows as Record<string, unknown>[],
        async close() {
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
          await client.end();
        },
      };
    },
    stop,
  };
}
