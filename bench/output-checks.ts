// What `npm run bench` compares of a benchmark's stdout between qemu-user and tsemu, and the
// programs' own checks of their results. Most programs print only results, compared whole;
// CoreMark also prints what it measured of its own run time, which differs from run to run.

/**
 * CoreMark's lines that depend on how long the run took: its ticks and seconds, the
 * iterations per second, the score line, and the run rules' complaint about a run under 10 s.
 */
const COREMARK_TIMING = [
  /^Total ticks\s*:/,
  /^Total time \(secs\)\s*:/,
  /^Iterations\/Sec\s*:/,
  /^CoreMark 1\.0 :/,
  /^ERROR! Must execute for at least 10 secs for a valid result!$/,
];
const COREMARK_VALIDATED = 'Correct operation validated. See README.md for run and reporting rules.';

/**
 * CoreMark's output with its timing lines removed. Its verdict depends on the time too: a run
 * shorter than 10 s counts as an error, so it says "Errors detected" instead of "Correct
 * operation validated" even when every CRC matched. When the 10 s rule was its only complaint
 * (no other "ERROR!" line: the CRC checks and the type-size checks print one each), the verdict
 * is put back as validated, so that a run each side of 10 s compares equal and a wrong CRC does
 * not.
 */
function coremark(stdout: string): string {
  const lines = stdout.split('\n');
  const shortRun = lines.some((l) => COREMARK_TIMING[4].test(l));
  const kept = lines.filter((l) => !COREMARK_TIMING.some((re) => re.test(l)));
  const otherErrors = kept.some((l) => /ERROR!/.test(l));
  return kept.map((l) => (l === 'Errors detected' && shortRun && !otherErrors ? COREMARK_VALIDATED : l)).join('\n');
}

/** Per program (its file name in bench/ARCH): the part of stdout compared between emulators. */
const COMPARED: Record<string, (stdout: string) => string> = { coremark };

/** Per program: what its (compared) output must contain to show the work was right. */
const SELF_CHECKS: Record<string, { expect: string; says: string }> = {
  coremark: { expect: COREMARK_VALIDATED, says: 'CRCs validated by CoreMark, timing lines masked' },
  dhrystone: { expect: 'final values as published', says: 'final values as published' },
};

export function comparedOutput(program: string, stdout: string): string {
  return (COMPARED[program] ?? ((s: string) => s))(stdout);
}

/**
 * The program's own verdict on its output: `ok` false when it has a check and the output fails
 * it; `says` what was checked, for the table (empty when it has none).
 */
export function selfCheck(program: string, compared: string): { ok: boolean; says: string } {
  const c = SELF_CHECKS[program];
  if (!c) return { ok: true, says: '' };
  const ok = compared.split('\n').includes(c.expect);
  return { ok, says: ok ? c.says : `${program}'s own check failed` };
}
