// One way to open the gateway's SQLite file: created if absent, WAL + NORMAL, schema applied.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * `path` ':memory:' keeps everything in memory (tests); any other path is a file, created if absent.
 * WAL + NORMAL: a committed write survives a process crash (SIGKILL); fsync happens at checkpoints.
 */
export function openSqlite(path: string, schema: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(schema);
  return db;
}
