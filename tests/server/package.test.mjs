// The Debian package (make deb): lintian has no errors, Depends comes from
// dpkg-shlibdeps, the package unpacked into a temporary root runs
// `version`, `init` and `serve` from there, its files are those of
// `make install DESTDIR=... PREFIX=/usr` (Debian's compressed man pages,
// copyright and changelog aside), the man pages render without warnings,
// and the systemd units pass `systemd-analyze verify` and rate at most 2.0
// in `systemd-analyze security --offline=yes`.
//
// The package is rebuilt (scripts/mkdeb.sh, about 20 s with lintian) when
// it is older than the binary or any of its inputs, else reused with the
// lintian log of its build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, readdirSync, statSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, STORE, run, freshStore, freePort } from './harness.mjs';

const TOP = fileURLToPath(new URL('../..', import.meta.url));
const BUILD = relative(TOP, dirname(resolve(BIN))) || '.';
const UNITS = ['jiebang.service', 'jiebang-backup.service', 'jiebang-backup.timer'];
const MAN = ['docs/jiebang.1', 'docs/jiebang.conf.5'];

let tmp, deb, root, staged;

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: TOP, timeout: 300000, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

// Every file under dir, relative, sorted.
function files(dir, base = dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, base));
    else out.push(relative(base, p));
  }
  return out.sort();
}

function newest(paths) {
  let t = 0;
  for (const p of paths) {
    const full = join(TOP, p);
    const st = statSync(full);
    t = Math.max(t, st.isDirectory() ? newest(readdirSync(full).map((f) => join(p, f))) : st.mtimeMs);
  }
  return t;
}

function debPath() {
  const version = sh('dpkg-parsechangelog', ['-S', 'Version']).stdout.trim();
  const arch = sh('dpkg-architecture', ['-qDEB_HOST_ARCH']).stdout.trim();
  return join(TOP, `build/jiebang_${version}_${arch}.deb`);
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'jiebang-pkg-'));
  deb = debPath();
  const inputs = [relative(TOP, resolve(BIN)), 'debian', 'packaging', 'docs', 'README.md', 'Makefile',
    'scripts/mkdeb.sh'];
  const lint = join(TOP, 'build/deb/lintian.log');
  if (!existsSync(deb) || !existsSync(lint) || statSync(deb).mtimeMs < newest(inputs)) {
    const r = sh('scripts/mkdeb.sh', [BUILD]);
    assert.equal(r.status, 0, `make deb failed:\n${r.stdout}\n${r.stderr}`);
    assert.equal(join(TOP, r.stdout.trim().split('\n').pop()), deb);
  }
  root = join(tmp, 'root');
  const x = sh('dpkg-deb', ['-x', deb, root]);
  assert.equal(x.status, 0, x.stderr);
  staged = join(tmp, 'staged');
  const i = sh('make', ['-s', 'install', `DESTDIR=${staged}`, 'PREFIX=/usr', `BUILD=${BUILD}`]);
  assert.equal(i.status, 0, i.stderr);
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('lintian reports no errors; the package size and dependencies', () => {
  const log = readFileSync(join(TOP, 'build/deb/lintian.log'), 'utf8');
  assert.doesNotMatch(log, /^E: /m, log);
  const tags = log.split('\n').filter((l) => /^[WIP]: /.test(l));
  const info = sh('dpkg-deb', ['-f', deb, 'Depends', 'Installed-Size']).stdout;
  console.log(`${relative(TOP, deb)}: ${statSync(deb).size} bytes; ${info.replace(/\n(?=.)/g, '; ').trim()}`);
  for (const t of tags) console.log(`lintian ${t}`);
  // Depends computed by dpkg-shlibdeps from the binary, not written by hand.
  assert.match(readFileSync(join(TOP, 'debian/control'), 'utf8'), /^Depends: \$\{shlibs:Depends\}/m);
  for (const lib of ['libc6', 'libsqlite3-0', 'libpq5', 'libsodium23', 'libmicrohttpd12', 'libjansson4'])
    assert.match(info, new RegExp(`\\b${lib} \\(>= `), `${lib} with a version from its shlibs`);
  assert.match(info, /\badduser\b/);
});

test('the maintainer scripts create the user and /var/lib/jiebang; the configuration is a conffile', () => {
  const ctl = join(tmp, 'DEBIAN');
  assert.equal(sh('dpkg-deb', ['-e', deb, ctl]).status, 0);
  assert.equal(readFileSync(join(ctl, 'conffiles'), 'utf8'), '/etc/jiebang/jiebang.conf\n');
  const postinst = readFileSync(join(ctl, 'postinst'), 'utf8');
  assert.match(postinst, /adduser --system --group .*--home \/var\/lib\/jiebang/);
  assert.match(postinst, /chmod 0750 \/var\/lib\/jiebang/);
  assert.match(readFileSync(join(ctl, 'postrm'), 'utf8'), /"\$1" = purge/);
  for (const s of ['postinst', 'prerm', 'postrm']) {
    assert.equal(statSync(join(ctl, s)).mode & 0o777, 0o755, s);
    const n = sh('sh', ['-n', join(ctl, s)]);
    assert.equal(n.status, 0, `${s}: ${n.stderr}`);
  }
  const sums = sh('md5sum', ['--quiet', '-c', join(ctl, 'md5sums')], { cwd: root });
  assert.equal(sums.status, 0, `md5sums: ${sums.stdout}${sums.stderr}`);
  assert.equal(readFileSync(join(ctl, 'md5sums'), 'utf8').trim().split('\n').length,
    files(root).filter((f) => !f.startsWith('etc/')).length, 'md5sums lists every file but the conffile');
  const list = sh('dpkg-deb', ['-c', deb]).stdout;
  assert.doesNotMatch(list, /^\S+ (?!root\/root)/m, 'every file belongs to root in the package');
});

// The maintainer scripts run with every command they call replaced by a
// stub that logs its arguments (PATH holds only the stubs): what they would
// do to a machine, without doing it. The state the stubs report: whether
// the user exists (getent) and the override is there (dpkg-statoverride
// --list).
function maint(script, args, { user = false, override = false } = {}) {
  const ctl = join(tmp, 'DEBIAN');
  if (!existsSync(ctl)) assert.equal(sh('dpkg-deb', ['-e', deb, ctl]).status, 0);
  const stubs = mkdtempSync(join(tmp, 'stubs-'));
  const log = join(stubs, 'log');
  const status = { getent: user ? 0 : 2, 'dpkg-statoverride': override ? 0 : 1 };
  for (const c of ['getent', 'adduser', 'deluser', 'mkdir', 'chown', 'chmod', 'rm', 'rmdir', 'dpkg-statoverride',
    'systemctl', 'deb-systemd-invoke']) {
    const code = status[c] ?? 0;
    writeFileSync(join(stubs, c), `#!/bin/sh\necho "${c} $*" >>${log}\n` +
      (c === 'dpkg-statoverride' ? `case "$1" in --list) exit ${code};; esac\n` : `exit ${code}\n`), { mode: 0o755 });
  }
  const r = sh('/bin/sh', [join(ctl, script), ...args], { env: { PATH: stubs } });
  assert.equal(r.status, 0, `${script} ${args.join(' ')}: ${r.stderr}`);
  return existsSync(log) ? readFileSync(log, 'utf8') : '';
}

test('postinst creates the user, /var/lib/jiebang and the override once; postrm purge undoes them', () => {
  assert.ok(!existsSync('/var/lib/jiebang'), 'this machine has /var/lib/jiebang: the stub run below assumes it has not');
  const first = maint('postinst', ['configure', '']);
  assert.match(first, /^adduser --system --group --quiet --home \/var\/lib\/jiebang --no-create-home .* jiebang$/m);
  assert.match(first, /^mkdir -p \/var\/lib\/jiebang$/m);
  assert.match(first, /^chown jiebang:jiebang \/var\/lib\/jiebang$/m);
  assert.match(first, /^chmod 0750 \/var\/lib\/jiebang$/m);
  assert.match(first, /^dpkg-statoverride --update --add root jiebang 0640 \/etc\/jiebang\/jiebang\.conf$/m);
  // Again (an upgrade): the user and the override are there, nothing is redone.
  const again = maint('postinst', ['configure', '0.1.0-1'], { user: true, override: true });
  assert.doesNotMatch(again, /^adduser|--add/m);
  // A plain remove keeps the data; purge removes it, the override and the user.
  assert.doesNotMatch(maint('postrm', ['remove'], { user: true, override: true }), /^rm |deluser|--remove/m);
  const purge = maint('postrm', ['purge'], { user: true, override: true });
  assert.match(purge, /^dpkg-statoverride --remove \/etc\/jiebang\/jiebang\.conf$/m);
  assert.match(purge, /^rm -rf \/var\/lib\/jiebang$/m);
  assert.match(purge, /^deluser --quiet --system jiebang$/m);
});

test('the package holds the files make install PREFIX=/usr installs', () => {
  const pkg = files(root);
  const debianOnly = ['usr/share/doc/jiebang/copyright', 'usr/share/doc/jiebang/changelog.Debian.gz'];
  for (const f of debianOnly) assert.ok(pkg.includes(f), f);
  const normal = pkg.filter((f) => !debianOnly.includes(f)).map((f) => f.replace(/^(usr\/share\/man\/.*)\.gz$/, '$1'));
  assert.deepEqual(normal, files(staged));
  assert.deepEqual(files(staged), [
    'etc/jiebang/jiebang.conf', 'usr/bin/jiebang',
    'usr/lib/systemd/system/jiebang-backup.service', 'usr/lib/systemd/system/jiebang-backup.timer',
    'usr/lib/systemd/system/jiebang.service',
    'usr/share/doc/jiebang/README.md', 'usr/share/doc/jiebang/nginx-jiebang.conf',
    'usr/share/doc/jiebang/operations.md',
    'usr/share/man/man1/jiebang.1', 'usr/share/man/man5/jiebang.conf.5',
  ]);
  // Same contents, the binary aside (stripped in the package).
  for (const f of files(staged).filter((f) => !/bin\/|man\//.test(f)))
    assert.equal(readFileSync(join(root, f), 'utf8'), readFileSync(join(staged, f), 'utf8'), f);
  const z = sh('sh', ['-c', `zcat ${join(root, 'usr/share/man/man1/jiebang.1.gz')}`]).stdout;
  assert.equal(z, readFileSync(join(TOP, 'docs/jiebang.1'), 'utf8'));
});

test('make install honours PREFIX and DESTDIR, keeps a changed configuration, and uninstall removes it all', () => {
  const d = join(tmp, 'local');
  const i = sh('make', ['-s', 'install', `DESTDIR=${d}`, `BUILD=${BUILD}`]);
  assert.equal(i.status, 0, i.stderr);
  const got = files(d);
  assert.ok(got.includes('usr/local/bin/jiebang') && got.includes('usr/local/etc/jiebang/jiebang.conf'), got.join(' '));
  const unit = readFileSync(join(d, 'usr/local/lib/systemd/system/jiebang.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/jiebang serve --config \/usr\/local\/etc\/jiebang\/jiebang\.conf$/m);
  // A changed configuration survives a second install and the uninstall.
  const conf = join(d, 'usr/local/etc/jiebang/jiebang.conf');
  writeFileSync(conf, 'port = 9000\n');
  assert.equal(sh('make', ['-s', 'install', `DESTDIR=${d}`, `BUILD=${BUILD}`]).status, 0);
  assert.equal(readFileSync(conf, 'utf8'), 'port = 9000\n');
  const u = sh('make', ['-s', 'uninstall', `DESTDIR=${d}`]);
  assert.equal(u.status, 0, u.stderr);
  assert.deepEqual(files(d), ['usr/local/etc/jiebang/jiebang.conf']);
  // Without a built binary make install refuses instead of building.
  const none = sh('make', ['-s', 'install', `DESTDIR=${d}`, 'BUILD=build/none']);
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /run 'make' first/);
  assert.ok(!existsSync(join(TOP, 'build/none')));
});

test('the packaged binary runs version, init and serve from the unpacked root', async () => {
  const bin = join(root, 'usr/bin/jiebang');
  const v = sh(bin, ['version']);
  assert.equal(v.status, 0, v.stderr);
  const upstream = sh('dpkg-parsechangelog', ['-S', 'Version']).stdout.trim().replace(/-[^-]+$/, '');
  assert.match(v.stdout, new RegExp(`^jiebang ${upstream.replace(/\./g, '\\.')} \\(schema \\d+\\)\\n$`));
  assert.equal(v.stdout, run(['version']).stdout, 'the same program as the build');

  const data = join(tmp, 'data');
  // SQLite: the first start of operations.md, --data only (init creates it).
  const where = STORE === 'sqlite' ? ['--data', data] : ['--data', data, '--db', freshStore(tmp)];
  const init = sh(bin, ['init', ...where, '--name', '测试县']);
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, /admin/);
  // systemd's notification socket, played by a datagram listener:
  // Type=notify readiness, and SIGHUP (ExecReload) reloading.
  const sock = join(tmp, 'notify.sock');
  const listener = spawn('/usr/bin/python3', ['-c', `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    print(s.recv(4096).decode().replace("\\n", " "), flush=True)
`, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  let notes = '';
  listener.stdout.on('data', (d) => (notes += d));
  const until = async (what, re) => {
    for (let i = 0; !re.test(notes); i++) {
      if (i > 200) throw new Error(`no ${what} on the notification socket; got:\n${notes}\nserver:\n${log}`);
      await new Promise((res) => setTimeout(res, 25));
    }
  };
  const port = await freePort();
  let log = '';
  let child, exited;
  try {
    await until('listener', /^bound$/m);
    child = spawn(bin, ['serve', ...where, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NOTIFY_SOCKET: sock },
    });
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
    await until('READY=1', /^READY=1$/m);
    // Ready means serving: the first request after READY=1 is answered.
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(r.status, 200);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /测试县/);
    child.kill('SIGHUP');
    await until('RELOADING=1 then READY=1', /^RELOADING=1[^]*\nREADY=1$/m);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'still serving after the reload');
    child.kill('SIGTERM');
    await until('STOPPING=1', /^STOPPING=1$/m);
  } finally {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    listener.kill();
  }
  const { code, sig } = await exited;
  assert.equal(code, 0, `packaged serve exited with ${code} ${sig}:\n${log}`);
});

test('the man pages render without warnings (man --warnings, groff -ww)', () => {
  for (const page of MAN) {
    const m = sh('man', ['--warnings', '-l', page], { env: { ...process.env, MANWIDTH: '80' } });
    assert.equal(m.status, 0, m.stderr);
    assert.equal(m.stderr, '', `${page}: man --warnings`);
    assert.match(m.stdout, /NAME/);
    const g = sh('groff', ['-ww', '-man', '-z', page]);
    assert.equal(g.status, 0, g.stderr);
    assert.equal(g.stderr, '', `${page}: groff -ww`);
  }
  // jiebang(1) names every command of `jiebang --help` and every option.
  const man = readFileSync(join(TOP, 'docs/jiebang.1'), 'utf8').replace(/\\-/g, '-');
  const help = run(['--help']).stdout;
  for (const [, cmd] of help.matchAll(/^ {2}([a-z][a-z-]+) {2,}/gm)) assert.match(man, new RegExp(`\\b${cmd}\\b`), cmd);
  for (const [, opt] of help.matchAll(/(--[a-z][a-z-]+)/g)) assert.ok(man.includes(opt), opt);
  for (const c of ['user', 'tenant', 'import', 'backup'])
    for (const [, opt] of run([c, '--help']).stdout.matchAll(/(--[a-z][a-z-]+)/g)) assert.ok(man.includes(opt), `${c} ${opt}`);
  for (const sub of ['add', 'passwd', 'disable', 'enable', 'list', 'token', 'domain', 'undomain'])
    assert.match(man, new RegExp(`\\b${sub}\\b`), sub);
});

test('systemd-analyze: the units verify clean and the services rate at most 2.0', (t) => {
  const which = sh('sh', ['-c', 'command -v systemd-analyze']);
  assert.equal(which.status, 0,
    'systemd-analyze is missing (Debian package systemd): the units CANNOT be checked; install it (scripts/install-deps.sh)');
  const help = sh('systemd-analyze', ['--help']).stdout;
  assert.match(help, /--offline/, 'this systemd-analyze has no --offline: the security score CANNOT be checked here');
  // The packaged units, with the binary path pointing into the unpacked
  // root (verify checks that ExecStart exists) and MANPATH at its man pages
  // (verify runs man for each Documentation=man: entry).
  const units = join(tmp, 'units');
  mkdirSync(units);
  for (const u of UNITS) {
    const text = readFileSync(join(root, 'usr/lib/systemd/system', u), 'utf8');
    if (u.endsWith('.service')) assert.match(text, /^ExecStart=\/usr\/bin\/jiebang /m);
    writeFileSync(join(units, u), text.replaceAll('/usr/bin/jiebang ', join(root, 'usr/bin/jiebang') + ' '));
  }
  const env = { ...process.env, MANPATH: join(root, 'usr/share/man'), SYSTEMD_LOG_COLOR: '0' };
  const v = sh('systemd-analyze', ['verify', ...UNITS.map((u) => join(units, u))], { env });
  assert.equal(v.status, 0, `systemd-analyze verify:\n${v.stdout}${v.stderr}`);
  assert.equal((v.stdout + v.stderr).trim(), '', `systemd-analyze verify says:\n${v.stdout}${v.stderr}`);
  for (const u of UNITS.filter((n) => n.endsWith('.service'))) {
    const s = sh('systemd-analyze', ['security', '--offline=yes', '--no-pager', join(units, u)], { env });
    assert.equal(s.status, 0, s.stderr);
    const m = s.stdout.match(/Overall exposure level for \S+: (\d+\.\d+)/);
    assert.ok(m, `no exposure level in:\n${s.stdout}${s.stderr}`);
    console.log(`systemd-analyze security ${u}: ${m[1]}`);
    assert.ok(Number(m[1]) <= 2.0, `${u} rates ${m[1]} (> 2.0)`);
  }
  // What the issue asks of the unit, and the backup timer's contract.
  const svc = readFileSync(join(root, 'usr/lib/systemd/system/jiebang.service'), 'utf8');
  for (const line of ['Type=notify', 'ExecStart=/usr/bin/jiebang serve --config /etc/jiebang/jiebang.conf',
    'ExecReload=/bin/kill -HUP $MAINPID', 'User=jiebang', 'Group=jiebang', 'StateDirectory=jiebang',
    'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'NoNewPrivileges=yes',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX', 'SystemCallFilter=@system-service',
    'MemoryDenyWriteExecute=yes', 'LockPersonality=yes', 'CapabilityBoundingSet='])
    assert.ok(svc.split('\n').includes(line), `jiebang.service has ${line}`);
  const timer = readFileSync(join(units, 'jiebang-backup.timer'), 'utf8');
  assert.match(timer, /^OnCalendar=\S+ 02:30:00$/m);
  assert.match(timer, /^Persistent=true$/m);
  const bsvc = readFileSync(join(units, 'jiebang-backup.service'), 'utf8');
  assert.match(bsvc, /^Type=oneshot$/m);
  assert.match(bsvc, /^ExecStart=\S+ backup .*--dir \/var\/lib\/jiebang\/backups --keep \d+$/m);
  assert.match(bsvc, /^User=jiebang$/m);
});

// jiebang.conf(5) and packaging/jiebang.conf against the one key list
// (`jiebang config keys`: name, variable, flag, default, reload|restart).
test('jiebang.conf(5) and the example configuration follow the key list', () => {
  const k = run(['config', 'keys']);
  assert.equal(k.status, 0, k.stderr);
  const keys = k.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.ok(keys.length >= 20, k.stdout);
  const text = sh('groff', ['-man', '-Tutf8', '-P-cbou', '-rLL=400n', 'docs/jiebang.conf.5']).stdout;
  const entries = [...text.matchAll(/^ {7}([a-z_]+) \((JIEBANG_[A-Z_]+), (--[a-z-]+)(; reload)?\)\n((?: {14}.*\n)+)/gm)];
  assert.deepEqual(entries.map((e) => e[1]), keys.map((r) => r[0]), 'one entry per key, in the list order');
  for (const [name, env, flag, def, when] of keys) {
    const e = entries.find((x) => x[1] === name);
    assert.equal(e[2], env, name);
    assert.equal(e[3], flag, name);
    assert.equal(Boolean(e[4]), when === 'reload', `${name}: marked reload iff it reloads`);
    const body = e[5].replace(/\s+/g, ' ');
    if (def) assert.ok(body.includes(`Default ${def}`), `${name}: "Default ${def}" in: ${body}`);
    else assert.match(body, /Default/, name);
  }
  // The option forms jiebang.conf(5) documents.
  const f = run(['config', 'check', '--log-level', 'debug', '--max-connections=4096', '--trust-proxy', '--secure-cookies=0']);
  assert.equal(f.status, 0, f.stderr);
  assert.match(f.stdout, /^log_level += debug +# --log-level$/m);
  assert.match(f.stdout, /^max_connections += 4096 +# --max-connections$/m);
  assert.match(f.stdout, /^trust_proxy += 1 +# --trust-proxy$/m);
  assert.match(f.stdout, /^secure_cookies += 0 +# --secure-cookies$/m);
  // The example: every key once (set or commented out at its default), and
  // valid as it is and with every commented key set.
  const example = readFileSync(join(TOP, 'packaging/jiebang.conf'), 'utf8');
  const named = [...example.matchAll(/^#?([a-z_]+) =/gm)].map((m) => m[1]);
  assert.deepEqual([...named].sort(), keys.map((r) => r[0]).sort(), 'the example names every key once');
  for (const [name, , , def] of keys) {
    const m = example.match(new RegExp(`^#?${name} = ?(.*)$`, 'm'));
    if (def && name !== 'data') assert.equal(m[1], def, `the example's ${name} is the default`);
  }
  const c = run(['config', 'check', '--config', join(TOP, 'packaging/jiebang.conf')]);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /^data += \/var\/lib\/jiebang +# .*jiebang\.conf:\d+$/m);
  const all = join(tmp, 'all.conf');
  writeFileSync(all, example.replace(/^#([a-z_]+ =)/gm, '$1'));
  const c2 = run(['config', 'check', '--config', all]);
  assert.equal(c2.status, 0, `every commented key set: ${c2.stderr}`);
});
