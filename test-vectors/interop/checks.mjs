// The outcome checks the interop scripts share: each check prints one line, and every outcome other than the expected
// one is counted, so a script exits 1 when any was unexpected.
let unexpectedCount = 0;

/** Prints one result line: status, name and the first line of the detail. */
export function line(status, name, detail) {
  console.log(`${status.padEnd(5)} ${name}${detail ? ` — ${String(detail).split('\n')[0].substring(0, 160)}` : ''}`);
}

/** Counts an outcome other than the expected one. */
export function noteUnexpected() {
  unexpectedCount++;
}

/** How many outcomes were not the expected ones. */
export function unexpected() {
  return unexpectedCount;
}

/**
 * Runs fn; `expect` is 'verifies' or 'fails'. A failure to verify when one is expected (or the reverse) is unexpected,
 * and so is a refusal whose reason does not match `reason` (a tampered copy must fail on what was tampered, not on a bug).
 */
export async function check(name, expect, fn, reason = /./) {
  let outcome;
  let detail;
  try {
    detail = await fn();
    outcome = 'verifies';
  } catch (e) {
    detail = e.message;
    outcome = 'fails';
  }
  if (outcome === expect && (outcome === 'verifies' || reason.test(detail))) {
    line('ok', name, expect === 'fails' ? `refused: ${detail}` : detail);
  } else if (outcome === expect) {
    noteUnexpected();
    line('FAIL', name, `refused for another reason than ${reason}: ${detail}`);
  } else {
    noteUnexpected();
    line('FAIL', name, `expected it to ${expect === 'verifies' ? 'verify' : 'fail'}: ${detail}`);
  }
}
