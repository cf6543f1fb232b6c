import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';

/**
 * Issue 14, class 7: text from files and options never reaches the terminal raw. `diff`,
 * `register` and `status` print what a file or an option says; an escape sequence in it
 * (retitle the window, clear the screen) is shown escaped (`\u001b`), as error lines are.
 */

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let dir: string;
beforeAll(() => {
  dir = tempDir('srq-terminal-');
  const text = fs.readFileSync(EXAMPLE, 'utf8');
  fs.writeFileSync(path.join(dir, 'a.yaml'), text);
  const hostile = text.replace(
    /^ {4}summary: Traffic into.*$/m,
    '    summary: "\\e[2JWiped \\e]0;retitled\\a out"',
  );
  if (hostile === text) throw new Error('edit did not apply');
  fs.writeFileSync(path.join(dir, 'b.yaml'), hostile);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('diff shows escape sequences of an answer escaped', () => {
  const r = srq(['diff', 'a.yaml', 'b.yaml'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(RAW_CONTROL);
  expect(r.stdout).toContain('{+\\u001b[2JWiped \\u001b]0;retitled\\u0007 out+}');
});

test('register shows a --buyer with escape sequences escaped, in its column', () => {
  const b = srq(['build', 'a.yaml', '-o', 'o.pdf', '--buyer', 'Evil\u001b]0;pwned\u0007\rBuyer'], {
    cwd: dir,
  });
  expect(b.code).toBe(0);
  const r = srq(['register'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(RAW_CONTROL);
  expect(r.stdout).toContain('Evil\\u001b]0;pwned\\u0007\\u000dBuyer');
});

test('status shows a service name with escape sequences escaped', () => {
  const text = fs
    .readFileSync(path.join(dir, 'a.yaml'), 'utf8')
    .replace(/^ {2}name: Harbourline Hosting Platform$/m, '  name: "Host\\e[2Jing"');
  fs.mkdirSync(path.join(dir, 'st'));
  fs.writeFileSync(path.join(dir, 'st', 'c.yaml'), text);
  const r = srq(['status', 'st'], { cwd: dir });
  expect(r.stdout).not.toMatch(RAW_CONTROL);
  expect(r.stdout).toContain('Host\\u001b[2Jing');
});
