// AddressSpace: mappings, permissions, zero-fill, and fork's independent copy.
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
});
