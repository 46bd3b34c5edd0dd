// jiebang backup --dir DIR --keep N (what jiebang-backup.timer runs): a
// dated copy that restores, the N newest dated files kept, every other
// file left alone, nothing deleted when the backup fails; bad usage is
// exit 2. On the store of the pass (SQLite .db, PostgreSQL .dump).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORE, run, freshStore } from './harness.mjs';

const tmp = () => mkdtempSync(join(tmpdir(), 'jiebang-bdir-'));
const EXT = STORE === 'sqlite' ? 'db' : 'dump';

test('backup --dir writes a dated copy that restores and keeps only the N newest dated files', () => {
  const top = tmp();
  try {
    const store = freshStore(top);
    const d = run(['demo', '--db', store]);
    assert.equal(d.status, 0, d.stderr);
    const dir = join(top, 'backups');
    mkdirSync(dir);
    const old = ['jiebang-20200101-000000.db', 'jiebang-20200102-000000.dump', 'jiebang-20200103-000000.db'];
    const others = ['notes.txt', 'jiebang-2020.db', 'jiebang-20200104-000000.db.partial', 'before-upgrade.db',
      'jiebang-20200105-00000x.db'];
    for (const f of [...old, ...others]) writeFileSync(join(dir, f), 'x');

    const r = run(['backup', '--db', store, '--dir', dir, '--keep', '2']);
    assert.equal(r.status, 0, r.stderr);
    const m = r.stdout.match(new RegExp(`backed up the store to (.*/(jiebang-(\\d{8})-\\d{6}\\.${EXT}))\\n`));
    assert.ok(m, r.stdout);
    const today = new Date();
    const ymd = `${today.getFullYear()}${String(today.getMonth() + 1).padStart(2, '0')}${String(today.getDate()).padStart(2, '0')}`;
    assert.equal(m[3], ymd, 'named by the local date');
    assert.equal(statSync(m[1]).mode & 0o777, 0o600, 'the copy is private');
    // Kept: the new copy and the newest old one; the two older deleted and said so.
    const left = readdirSync(dir).sort();
    assert.deepEqual(left, [...others, 'jiebang-20200103-000000.db', m[2]].sort());
    assert.match(r.stdout, /deleted the old backup .*jiebang-20200101-000000\.db/);
    assert.match(r.stdout, /deleted the old backup .*jiebang-20200102-000000\.dump/);

    // The dated copy is a real backup: it restores into a fresh store.
    const target = freshStore(mkdtempSync(join(top, 'r-')));
    const rs = run(['restore', m[1], '--db', target]);
    assert.equal(rs.status, 0, rs.stderr);
    const t = run(['tenant', 'list', '--db', target]);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /滦南县|default/);

    // --keep 1 (in a later second: a copy of the same second is refused,
    // never overwritten): only the newest dated copy is left.
    let again = run(['backup', '--db', store, '--dir', dir, '--keep', '1']);
    if (again.status !== 0) {
      assert.match(again.stderr, /exists; will not overwrite/, 'same second: refused, not overwritten');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);
      again = run(['backup', '--db', store, '--dir', dir, '--keep', '1']);
    }
    assert.equal(again.status, 0, again.stderr);
    const dated = readdirSync(dir).filter((f) => /^jiebang-\d{8}-\d{6}\.(db|dump)$/.test(f));
    assert.equal(dated.length, 1, dated.join(' '));
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

test('a failed backup deletes nothing, and a missing directory is created', () => {
  const top = tmp();
  try {
    const dir = join(top, 'b');
    mkdirSync(dir);
    const old = ['jiebang-20200101-000000.db', 'jiebang-20200102-000000.db', 'jiebang-20200103-000000.db'];
    for (const f of old) writeFileSync(join(dir, f), 'x');
    const r = run(['backup', '--db', `sqlite:${join(top, 'no', 'such', 'x.db')}`, '--dir', dir, '--keep', '1']);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^jiebang: backup: /);
    assert.deepEqual(readdirSync(dir).sort(), old);

    const store = freshStore(top);
    assert.equal(run(['migrate', '--db', store]).status, 0);
    const fresh = join(top, 'new', 'dir');
    mkdirSync(join(top, 'new'));
    const ok = run(['backup', '--db', store, '--dir', fresh, '--keep', '3']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(statSync(fresh).mode & 0o777, 0o750);
    assert.equal(readdirSync(fresh).length, 1);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

test('backup --config FILE --dir DIR (what the timer runs) backs up the store the file names', () => {
  const top = tmp();
  try {
    const data = join(top, 'data');
    mkdirSync(data);
    const store = STORE === 'sqlite' ? `sqlite:${join(data, 'jiebang.db')}` : freshStore(top);
    const d = run(['demo', '--data', data, '--db', store]);
    assert.equal(d.status, 0, d.stderr);
    const conf = join(top, 'jiebang.conf');
    writeFileSync(conf, `# as /etc/jiebang/jiebang.conf\ndata = ${data}\n` + (STORE === 'sqlite' ? '' : `db = ${store}\n`));
    const dir = join(top, 'backups');
    const r = run(['backup', '--config', conf, '--dir', dir, '--keep', '14'], { env: { ...process.env, JIEBANG_DB: '' } });
    assert.equal(r.status, 0, r.stderr);
    const [file] = readdirSync(dir);
    assert.match(file, new RegExp(`^jiebang-\\d{8}-\\d{6}\\.${EXT}$`));
    const target = freshStore(mkdtempSync(join(top, 'r-')));
    assert.equal(run(['restore', join(dir, file), '--db', target]).status, 0);
    assert.match(run(['user', 'list', '--db', target]).stdout, /evaluator/, 'the demo store was the one backed up');
    // Without the file: ./data, which has no store here.
    const none = run(['backup', '--dir', join(top, 'b2'), '--keep', '1'], { cwd: mkdtempSync(join(top, 'empty-')) });
    assert.equal(none.error, undefined, 'the binary ran');
    assert.notEqual(none.status, 0);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

test('backup usage: FILE or --dir with --keep N, one-line errors with exit 2', () => {
  const cases = [
    [['backup', '--dir', 'x'], /--dir needs --keep/],
    [['backup', '--dir', 'x', '--keep', '0'], /--keep/],
    [['backup', '--dir', 'x', '--keep', '10001'], /--keep/],
    [['backup', '--dir', 'x', '--keep', 'many'], /--keep/],
    [['backup', 'file', '--dir', 'x', '--keep', '2'], /not both/],
    [['backup', 'file', '--keep', '2'], /--keep applies to --dir/],
    [['backup', '--dir', '', '--keep', '2'], /must not be empty/],
    [['backup', 'a', 'b'], /unexpected argument 'b'/],
    [['backup', '--port', '1', 'f'], /unknown option '--port'/],
    [['backup', '--dir'], /needs a value/],
    [['backup'], /needs FILE/],
  ];
  for (const [args, re] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.ok(!existsSync('x'), 'nothing created');
  }
  const h = run(['backup', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /usage: jiebang backup FILE/);
  assert.match(h.stdout, /--dir DIR --keep N/);
});
