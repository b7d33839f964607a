#!/usr/bin/env python3
"""A second cpu8 simulator, written from the timing table of docs/cpu8.md,
to check bin/cpu8 against: random programs are assembled by `cpu8 asm`,
run by both, and must give the same output, exit status and cycle count.

    python3 tests/cpu8/model.py --cpu8 bin/cpu8 [--programs N] [--seed S]

It decodes the binary itself (the documented format), keeps the whole
register history instead of a ring, and keeps pending jumps in a dict.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

REGS = ['0', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'tmp']
I, TMP = 9, 10
ALU = {1: 'add', 2: 'sub', 3: 'addci', 4: 'addco', 5: 'or', 6: 'and', 7: 'xor',
       8: 'xnor', 9: 'rshift'}


def read_binary(data):
    assert data[:4] == b'cpu8' and data[4] == 1 and data[5] == 0
    n = data[6] | data[7] << 8
    assert len(data) == 8 + 6 * n
    return [data[8 + 2 * k] | data[9 + 2 * k] << 8 for k in range(n)]


def alu(op, a, b, carry):
    """Returns (result, cout) from the instruction table of docs/cpu8.md."""
    if op == 'add':
        s = a + b
    elif op == 'sub':
        return (a - b) & 255, int(a >= b)
    elif op == 'addci':
        s = a + b + 1
    elif op == 'addco':
        s = a + b + carry
    elif op == 'rshift':
        return (a | b) >> 1, (a | b) & 1
    else:
        return {'or': a | b, 'and': a & b, 'xor': a ^ b, 'xnor': ~(a ^ b) & 255}[op], 0
    return s & 255, s >> 8


def simulate(words, max_cycles):
    """Returns (output bytes, 'halt'|'error'|'limit', cycles)."""
    prog = words + [0] * (256 - len(words))
    history = {}                      # cycle -> registers at its end
    zero = [0] * 11
    regs, carry = [0] * 11, 0
    ram, stack, calls, out = [0] * 64, [], [], bytearray()
    jumps = {}                        # cycle -> target fetched then
    pc, cycle = 255, 0

    def seen(lag):
        return history.get(cycle - lag, zero)

    def jump(slots, target):
        jumps.setdefault(cycle + slots + 1, target)   # the older jump wins

    while cycle < max_cycles:
        cycle += 1
        pc = jumps.pop(cycle) if cycle in jumps else (pc + 1) % 256
        w = prog[pc]
        op, d, a, b, imm = w >> 12, w >> 8 & 15, w >> 4 & 15, w & 15, w & 255
        bus, cout, dest = 0, 0, 0
        if op == 0 and d == 0:
            return out, 'halt', cycle
        if op in ALU:
            bus, cout = alu(ALU[op], regs[a], regs[b], carry)
            dest = d
        elif op == 10:
            bus, dest = imm, d
        elif op == 11:
            addr_ram, addr_sel = seen(3)[I], seen(2)[I]
            bus = ram[addr_ram] if addr_ram < 64 else 0
            if addr_sel == 127:
                if not stack:
                    return out, 'error', cycle
                bus |= stack.pop()
            dest = d
        elif op == 12:
            addr, value = seen(2)[I], seen(2)[d]
            if addr < 64:
                ram[addr] = value
            elif addr == 127:
                stack.append(value)
            elif addr == 123:
                out.append(value)
            elif addr == 124:
                out += b'%d\n' % value
            elif addr == 125:
                out += b'%d\n' % (value - 256 if value > 127 else value)
            elif addr == 126:
                out += b'%02x\n' % value
        elif op == 13:
            flag = [regs[TMP] == 0, regs[TMP] & 1, carry][d & 3]
            if bool(flag) != bool(d & 8):
                jump(4, imm)
        elif op == 14:
            jump(2, imm)
        elif op == 15:
            calls.append((pc + 3) % 256)
            jump(2, imm)
        else:                         # return
            if not calls:
                return out, 'error', cycle
            jump(2, calls.pop())
        regs[dest] = bus
        regs[TMP] = bus
        regs[0] = 0
        carry = cout
        history[cycle] = list(regs)
    return out, 'limit', cycle


# Where random programs end: every register is printed, so a difference in
# any of them shows.
# Where they start: RAM 0-7 and the registers hold distinct values, and
# the data stack three, so loads have something to find.
PROLOGUE = (['ldi %s %d' % (r, 17 * k + 3) for k, r in enumerate(REGS[1:9])]
            + sum([['ldi i %d' % k, '-', 'store ' + REGS[1 + k]] for k in range(8)], [])
            + ['ldi i 127', '-', 'store a', 'store b', 'store c'])
DUMP = ['def dump', '-', '-', '-', '-', 'ldi i 126', '-'] + ['store ' + r for r in REGS[1:9]] + ['halt']


def random_program(rng):
    """Assembly text: straight code, branches, calls, memory and ports; it
    ends by printing the registers."""
    n = rng.randint(5, 60)
    labels = ['l%d' % k for k in range(rng.randint(1, 5))]
    places = sorted(rng.randrange(n + 1) for _ in labels)
    reg = lambda: rng.choice(REGS)
    num = lambda: rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 52, 63, 64, 100, 123, 124, 125, 126,
                              127, 127, 127, 200, 255, rng.randrange(256)])
    lines = list(PROLOGUE)
    for k in range(n):
        for lab, at in zip(labels, places):
            if at == k:
                lines.append('def ' + lab)
        r = rng.random()
        if r < 0.3:
            lines.append('%s %s %s %s' % (rng.choice(list(ALU.values())), reg(), reg(), reg()))
        elif r < 0.5:
            lines.append('ldi %s %d' % (rng.choice(['i', 'i', reg()]), num()))
        elif r < 0.62:
            lines.append('store ' + reg())
        elif r < 0.72:
            lines.append('load ' + reg())
        elif r < 0.80:
            lines.append('if %s%s goto %s' % (rng.choice(['', 'not ']),
                                              rng.choice(['zero', 'odd', 'cout', 'greater']),
                                              rng.choice(labels)))
        elif r < 0.85:
            lines.append('%s %s' % (rng.choice(['goto', 'jmp', 'call']), rng.choice(labels)))
        elif r < 0.88:
            lines.append('return')
        elif r < 0.90:
            lines.append('goto dump')
        else:
            lines.append(rng.choice(['-', 'noop', 'inc %s' % reg(), 'inc i', 'inc i', 'cmp %s %s' % (reg(), reg()),
                                     'lshift= %s' % reg(), '>>= %s' % reg(), 'mov %s %s' % (reg(), reg())]))
    for lab, at in zip(labels, places):
        if at == n:
            lines.append('def ' + lab)
    return '\n'.join(lines + DUMP) + '\n'


def check_one(cpu8, tmp, text, max_cycles, ends):
    src, binary = os.path.join(tmp, 'f.s'), os.path.join(tmp, 'f.bin')
    with open(src, 'w') as f:
        f.write(text)
    p = subprocess.run([cpu8, 'asm', src, '-o', binary], capture_output=True)
    if p.returncode != 0:
        return 'asm failed:\n' + p.stderr.decode()
    with open(binary, 'rb') as f:
        words = read_binary(f.read())
    out, end, cycles = simulate(words, max_cycles)
    ends[end] = ends.get(end, 0) + 1
    ends['output'] = ends.get('output', 0) + bool(out)
    p = subprocess.run([cpu8, 'run', binary, '--max-cycles', str(max_cycles)], capture_output=True)
    want_status = {'halt': 0, 'error': 2, 'limit': 2}[end]
    problems = []
    if p.returncode != want_status:
        problems.append('exit status %d, model %d (%s)' % (p.returncode, want_status, end))
    if p.stdout != bytes(out):
        problems.append('output %r, model %r' % (p.stdout, bytes(out)))
    if end == 'halt' and ('cycles: %d' % cycles).encode() not in p.stderr.splitlines():
        problems.append('stderr %r, model halts in cycle %d' % (p.stderr, cycles))
    return '; '.join(problems)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cpu8', required=True)
    ap.add_argument('--programs', type=int, default=200)
    ap.add_argument('--seed', type=int, default=8)
    ap.add_argument('--max-cycles', type=int, default=3000)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    ends = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(a.programs):
            text = random_program(rng)
            bad = check_one(a.cpu8, tmp, text, a.max_cycles, ends)
            if bad:
                print('program %d differs: %s\n%s' % (k, bad, text))
                return 1
    print('%d programs agree (%s)' % (a.programs, ', '.join('%s %d' % kv for kv in sorted(ends.items()))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
