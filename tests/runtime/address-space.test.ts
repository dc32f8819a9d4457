// AddressSpace: mappings, permissions, zero-fill, fork's independent copy, and what a pooled memory keeps.
import { describe, expect, it } from 'vitest';
import { AddressSpace, GUEST_BASE, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory/address-space.js';

describe('AddressSpace', () => {
  it('a fresh mapping reads as zero even where an old one was written', () => {
    const m = new AddressSpace();
    m.map(0x10000, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, 'a');
    m.sub(0x10000, 0x2000).fill(0xaa);
    m.unmap(0x10000, 2 * PAGE_SIZE);
    m.map(0x10000, PAGE_SIZE, PROT_READ, 'b');
    expect(m.read(0x10000, 1)[0]).toBe(0);
    expect(m.read(0x11000, 1)[0]).toBe(0); // unmapped bytes are zero too
  });
  it('protect splits a VMA and changes only its pages', () => {
    const m = new AddressSpace();
    m.map(0x20000, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, 'x');
    expect(m.protect(0x21000, PAGE_SIZE, PROT_READ)).toBe(true);
    expect(m.vmas.map((v) => [v.start, v.end, v.prot])).toEqual([
      [0x20000, 0x21000, 3],
      [0x21000, 0x22000, 1],
      [0x22000, 0x24000, 3],
    ]);
    expect(m.allows(0x21000, 8, PROT_WRITE)).toBe(false);
    expect(m.allows(0x20ffc, 8, PROT_WRITE)).toBe(false); // straddles into the read-only page
    expect(m.protect(0x30000, PAGE_SIZE, PROT_READ)).toBe(false); // unmapped: ENOMEM for mprotect
  });
  it('never maps below GUEST_BASE and refuses ranges past 4 GiB', () => {
    const m = new AddressSpace();
    expect(() => m.map(0, PAGE_SIZE, PROT_READ, 'null')).toThrow();
    expect(() => m.map(GUEST_BASE - PAGE_SIZE, PAGE_SIZE, PROT_READ, 'low')).toThrow();
    expect(() => m.map(2 ** 32 - PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, 'past')).toThrow();
    expect(m.allows(0, 1, PROT_READ)).toBe(false);
    expect(m.allows(2 ** 32 - 4, 8, PROT_READ)).toBe(false);
  });
  it('finds free room top-down below a limit and above a floor', () => {
    const m = new AddressSpace();
    m.map(0x7000_0000 - PAGE_SIZE, PAGE_SIZE, PROT_READ, 'top');
    expect(m.findFreeTopDown(PAGE_SIZE, 0x7000_0000, 0x1000_0000)).toBe(0x7000_0000 - 2 * PAGE_SIZE);
    expect(m.findFreeTopDown(0x1000_0000, 0x2000_0000, 0x1800_0000)).toBe(-1);
  });
  it('fork gives an independent copy of the mapped ranges', () => {
    const m = new AddressSpace();
    m.map(0x40000, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, 'code');
    m.write(0x40010, Uint8Array.of(42));
    const c = m.fork();
    c.write(0x40010, Uint8Array.of(7));
    expect(m.read(0x40010, 1)[0]).toBe(42);
    expect(c.vmas).toEqual(m.vmas);
    expect(c.allows(0x40000, 4, PROT_EXEC)).toBe(true);
  });

  describe('pooled memories', () => {
    const A = 0x40_0000;
    const text = Uint8Array.from({ length: 5000 }, (_, i) => (i % 251) + 1);
    /** Maps two pages at A and loads `text` there as the loader does, as file `src` at offset 0x100. */
    function loadText(m: AddressSpace, src: string): void {
      const ext = { start: A, end: A + text.length, src, delta: 0x100 - A };
      m.map(A, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, src, [ext]);
      m.load(A, text, ext);
      m.protect(A, 2 * PAGE_SIZE, PROT_READ | PROT_EXEC);
    }
    it("keep a file's read-only bytes for the next load of that file, and read as zero for any other mapping", () => {
      const m = new AddressSpace();
      loadText(m, 'file-1');
      m.release();
      const n = new AddressSpace(['file-1']);
      expect(n.memory).toBe(m.memory);
      const ext = { start: A, end: A + text.length, src: 'file-1', delta: 0x100 - A };
      n.map(A, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, 'file-1', [ext]);
      expect(n.read(A, text.length)).toEqual(text); // in place before the load: nothing to copy
      n.load(A, text, ext);
      n.protect(A, 2 * PAGE_SIZE, PROT_READ);
      n.release();
      const o = new AddressSpace(['file-1']);
      expect(o.memory).toBe(m.memory);
      o.map(A, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, 'other');
      expect(o.read(A, 2 * PAGE_SIZE).every((b) => b === 0)).toBe(true);
      // The same file at another offset is other bytes.
      o.release();
      const p = new AddressSpace(['file-1']);
      const shifted = { start: A, end: A + 8, src: 'file-1', delta: 0x108 - A };
      p.map(A, PAGE_SIZE, PROT_READ | PROT_WRITE, 'file-1', [shifted]);
      expect(p.read(A, 8).every((b) => b === 0)).toBe(true);
    });
    it('forget bytes of pages made writable: the next owner sees zero, not what was written', () => {
      const m = new AddressSpace();
      loadText(m, 'file-2');
      m.protect(A, PAGE_SIZE, PROT_READ | PROT_WRITE);
      m.write(A + 10, Uint8Array.of(0xee));
      m.release();
      const n = new AddressSpace(['file-2']);
      expect(n.memory).toBe(m.memory);
      n.map(A, 2 * PAGE_SIZE, PROT_READ, 'file-2', [{ start: A, end: A + text.length, src: 'file-2', delta: 0x100 - A }]);
      expect(n.read(A, PAGE_SIZE).every((b) => b === 0)).toBe(true);
      expect(n.read(A + PAGE_SIZE, text.length - PAGE_SIZE)).toEqual(text.subarray(PAGE_SIZE)); // still read-only: kept
    });
    it('clear the stack from the lowest stack pointer up; fork copies only what lies above the forking one', () => {
      const top = 0xffff_0000;
      const base = top - 1024 * 1024;
      const m = new AddressSpace();
      m.map(base, top - base, PROT_READ | PROT_WRITE, '[stack]');
      m.noteStack(top - 0x3000);
      m.write(top - 0x2ff0, Uint8Array.of(1));
      m.write(top - 0x10, Uint8Array.of(2));
      const c = m.fork(top - 0x1000);
      expect([c.read(top - 0x2ff0, 1)[0], c.read(top - 0x10, 1)[0]]).toEqual([0, 2]);
      expect(c.stackLow).toBe(top - 0x1000);
      c.release();
      m.release();
      const n = new AddressSpace([]);
      expect(n.memory).toBe(m.memory);
      n.map(base, top - base, PROT_READ | PROT_WRITE, '[stack]');
      expect(n.read(top - 0x3000, 0x3000).every((b) => b === 0)).toBe(true);
    });
  });
});
