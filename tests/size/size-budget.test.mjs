// The shipped files stay within the checked-in budget (raw and gzip bytes), so growth is a
// decision, not an accident. Runs against the release build in dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const budget = JSON.parse(readFileSync(new URL('./budget.json', import.meta.url), 'utf8'));
const dist = `${root}dist/`;

// Every file, in subfolders too, named by its path under dist/ with forward slashes.
function shippedFiles() {
  return readdirSync(dist, { recursive: true })
    .map((name) => name.split('\\').join('/'))
    .filter((name) => statSync(dist + name).isFile());
}

function measure(name) {
  const bytes = readFileSync(dist + name);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

test('every shipped file has a budget', () => {
  const unbudgeted = shippedFiles().filter((name) => !(name in budget.files));
  assert.deepEqual(unbudgeted, [], 'add these files to tests/size/budget.json');
});

for (const [name, limit] of Object.entries(budget.files)) {
  test(`${name} is within its size budget`, () => {
    const size = measure(name);
    assert.ok(size.raw <= limit.raw, `${name}: ${size.raw} raw bytes > budget ${limit.raw}`);
    assert.ok(size.gzip <= limit.gzip, `${name}: ${size.gzip} gzip bytes > budget ${limit.gzip}`);
  });
}

test('the whole app is within its size budget', () => {
  const total = shippedFiles().map(measure).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }));
  console.log(`dist/ total: ${total.raw} bytes raw, ${total.gzip} bytes gzip`);
  assert.ok(total.raw <= budget.total.raw, `total ${total.raw} raw bytes > budget ${budget.total.raw}`);
  assert.ok(total.gzip <= budget.total.gzip, `total ${total.gzip} gzip bytes > budget ${budget.total.gzip}`);
});
