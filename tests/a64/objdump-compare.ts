// Compares our disassembly with aarch64-linux-gnu-objdump over every instruction of an ELF's code.
import { execFileSync } from 'node:child_process';
import { disassemble } from '../../translator/a64/disasm.js';

export interface Agreement {
  total: number;
  agree: number;
  /** objdump decodes it, we do not. */
  undecoded: number;
  byMnemonic: Map<string, number>;
  first: string[];
}

/** objdump's text without `<symbol>` annotations, `// comments` and redundant blanks. */
export function normalise(text: string): string {
  return text
    .replace(/\s*\/\/.*$/, '')
    .replace(/\s*;.*$/, '')
    .replace(/\s*<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    // A bare address operand: objdump writes 0x… when no symbol names it, plain hex before a <symbol>.
    .replace(/(\s|, )0x([0-9a-f]+)$/, '$1$2');
}

export function compareWithObjdump(elf: string, limit = 40): Agreement {
  const out = execFileSync('aarch64-linux-gnu-objdump', ['-d', '-z', elf], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const res: Agreement = { total: 0, agree: 0, undecoded: 0, byMnemonic: new Map(), first: [] };
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (!m) continue;
    const theirs = normalise(m[3]);
    if (theirs.startsWith('.inst') || theirs.startsWith('udf')) continue; // data in text: not an instruction
    const word = parseInt(m[2], 16);
    const ours = normalise(disassemble(word, BigInt('0x' + m[1])));
    res.total++;
    if (ours === theirs) {
      res.agree++;
      continue;
    }
    if (ours.startsWith('.inst')) res.undecoded++;
    const mn = theirs.split(' ')[0];
    res.byMnemonic.set(mn, (res.byMnemonic.get(mn) ?? 0) + 1);
    if (res.first.length < limit) res.first.push(`${m[1]}: ${m[2]}  objdump: ${theirs}  ours: ${ours}`);
  }
  return res;
}

export function report(name: string, a: Agreement): string {
  const pct = ((100 * a.agree) / Math.max(1, a.total)).toFixed(2);
  const top = [...a.byMnemonic.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25);
  return [
    `${name}: ${a.agree}/${a.total} agree (${pct}%), ${a.undecoded} undecoded`,
    `  disagreements by mnemonic: ${top.map(([k, v]) => `${k}:${v}`).join(' ')}`,
    ...a.first.map((l) => '  ' + l),
  ].join('\n');
}
