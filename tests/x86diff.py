#!/usr/bin/env python3
"""x86diff.py - the x86-64 differential test: nifasm against GNU as.

Enumerates instruction x operand form x register x boundary immediates and
displacements, writes every case once as NIF and once as GNU as source
(.intel_syntax noprefix), assembles the NIF with nifasm and the other with
`as` + `ld` at the same addresses (text, procs, RIP-relative rodata), and
compares the bytes of every case.  Nothing is masked: jump displacements,
calls to procs and RIP-relative displacements must come out identical.

It also assembles a list of impossible operand combinations and checks that
both assemblers reject every one (nifasm with an error on that line; GNU as
with an error, or a warning where it silently truncates an immediate that
nifasm rejects).

Every mnemonic of src/amd64/amd64.h must occur in a compared case, so a new
instruction cannot go untested.

Usage: x86diff.py --nifasm bin/nifasm [--keep DIR]
The last line is a summary; the exit status is 0 only without mismatches.
"""
import copy
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_REPORT = 25

# ---- operands ----------------------------------------------------------------

NAMES = {
    8: 'rax rcx rdx rbx rsp rbp rsi rdi r8 r9 r10 r11 r12 r13 r14 r15',
    4: 'eax ecx edx ebx esp ebp esi edi r8d r9d r10d r11d r12d r13d r14d r15d',
    2: 'ax cx dx bx sp bp si di r8w r9w r10w r11w r12w r13w r14w r15w',
    1: 'al cl dl bl spl bpl sil dil r8b r9b r10b r11b r12b r13b r14b r15b',
}
HIGH = ['ah', 'ch', 'dh', 'bh']
GENERIC = {'rax': 'r0', 'rbx': 'r1', 'rcx': 'r2', 'rdx': 'r3',
           'rsi': 'r4', 'rdi': 'r5', 'rbp': 'r6', 'rsp': 'r7'}
PTR = {1: 'BYTE', 2: 'WORD', 4: 'DWORD', 8: 'QWORD', 16: 'XMMWORD'}


class Reg:
    def __init__(self, name, size, num, nif=None):
        self.gas, self.size, self.num = name, size, num
        self.nif_name = nif or name
        self.high = name in HIGH
        self.rex = num >= 8 or name in ('spl', 'bpl', 'sil', 'dil')

    def nif(self):
        return '(%s)' % self.nif_name

    def generic(self):
        """The same register under the seed's generic name r0-r7."""
        return Reg(self.gas, self.size, self.num, GENERIC.get(self.gas))


def regs(size):
    return [Reg(n, size, i) for i, n in enumerate(NAMES[size].split())]


def high_regs():
    return [Reg(n, 1, 4 + i) for i, n in enumerate(HIGH)]


def xmms():
    return [Reg('xmm%d' % i, 16, i) for i in range(16)]


class Imm:
    def __init__(self, v):
        self.v = v
        self.rex = self.high = False

    def nif(self):
        if self.v >= 1 << 63:
            return '+%du' % self.v
        return '%+d' % self.v

    def gas_text(self):
        return str(self.v)


class Mem:
    """(mem base [index scale] [disp]); size None is an unsized (mem ...);
    cast wraps it in (cast T ...); gas_size is the PTR GNU as is given."""

    def __init__(self, base, index=None, scale=1, disp=0, sym=None):
        self.base, self.index, self.scale, self.disp, self.sym = base, index, scale, disp, sym
        self.cast = None
        self.gas_size = None
        self.high = False
        self.rex = (base is not None and base.num >= 8) or (index is not None and index.num >= 8)

    def sized(self, size, cast=True, float_type=False):
        m = Mem(self.base, self.index, self.scale, self.disp, self.sym)
        m.gas_size = size
        if cast:
            m.cast = '(%s +%d)' % ('f' if float_type else 'i', size * 8)
        return m

    def nif(self):
        parts = ['mem', self.sym if self.sym else self.base.nif()]
        if self.index is not None:
            parts += [self.index.nif(), '+%d' % self.scale]
        if self.disp or (self.sym and not self.cast):
            # (mem m.0) is typed as m.0's array; with an offset it is raw
            # memory whose width comes from the other operand
            parts.append('%+d' % self.disp)
        text = '(%s)' % ' '.join(parts)
        return '(cast %s %s)' % (self.cast, text) if self.cast else text

    def gas_text(self):
        addr = 'rip+' + self.sym.replace('.', '') if self.sym else self.base.gas
        if self.index is not None:
            addr += '+%s*%d' % (self.index.gas, self.scale)
        if self.disp:
            addr += '%+d' % self.disp
        ptr = PTR[self.gas_size] + ' PTR ' if self.gas_size else ''
        return '%s[%s]' % (ptr, addr)


class Sym:
    """A label or proc name as a branch target."""

    def __init__(self, name):
        self.name = name
        self.rex = self.high = False

    def nif(self):
        return self.name

    def gas_text(self):
        return self.name.replace('.', '')


def gas_of(o):
    return o.gas if isinstance(o, Reg) else o.gas_text()


R64 = regs(8)
BASES = R64
INDEXES = [r for r in R64 if r.gas != 'rsp']
DISPS = [0, 1, -1, 127, -128, 128, -129, 0x7fffffff, -0x80000000, 0x1234]


def memory_modes():
    """Every base with no, 8- and 32-bit displacements, every index and
    scale, the rsp/rbp/r12/r13 special cases, and RIP-relative data."""
    modes = []
    for i, b in enumerate(BASES):
        modes.append(Mem(b))
        modes.append(Mem(b, disp=DISPS[1 + i % (len(DISPS) - 1)]))
    for b in [R64[4], R64[5], R64[12], R64[13]]:  # rsp rbp r12 r13
        for d in DISPS:
            modes.append(Mem(b, disp=d))
        modes.append(Mem(b, INDEXES[3], 4))
    for i, x in enumerate(INDEXES):
        for s in (1, 2, 4, 8):
            modes.append(Mem(BASES[(i * 3 + s) % 16], x, s, DISPS[(i + s) % len(DISPS)]))
    for d in (0, 4, -1, 100):
        modes.append(Mem(None, disp=d, sym='m.0'))
    return modes


MEMS = memory_modes()


def mems(size, step=1, start=0, unsized_every=2):
    """Memory operands of one size, every step-th mode; every
    unsized_every-th is written unsized in NIF, its size coming from the
    other operand (0: all are cast)."""
    out = []
    for k, m in enumerate(MEMS[start::step]):
        out.append(m.sized(size, cast=not (unsized_every and k % unsized_every == 0)))
    return out


def rot(lst, k):
    return lst[k % len(lst)]


def no_high_rex(ops):
    """ah-dh cannot meet a REX prefix; such combinations go to NEGATIVE."""
    rex = any(o.rex or (isinstance(o, Reg) and o.size == 8) for o in ops)
    return not (rex and any(o.high for o in ops))


# ---- immediates ----------------------------------------------------------------

IMM = {
    1: [0, 1, -1, 127, -128, 128, 255, -127, 0x55],
    2: [0, 1, -1, 127, 128, -128, -129, 0x7fff, -0x8000, 0xffff, 0xff80, 0xff7f, 0x1234],
    4: [0, 1, -1, 127, 128, -128, -129, 0x7fffffff, -0x80000000, 0xffffffff, 0xffffff80,
        0xffffff7f, 0x12345678],
    8: [0, 1, -1, 127, 128, -128, -129, 0x7fffffff, -0x80000000, 0x1234567],
}
MOV64 = [0x80000000, 0xffffffff, 0x100000000, (1 << 63) - 1, -(1 << 63), -0x80000001,
         (1 << 64) - 1, 0x123456789abcdef]
SHIFT_COUNTS = [0, 2, 3, 7, 8, 31, 63, 127, 255, -1]

# ---- cases ------------------------------------------------------------------------


class Cases:
    def __init__(self):
        self.items = []  # ('case', nif, gas) | ('raw', nif, gas)
        self.mnemonics = set()

    def add(self, mn, *ops, lock=False, gas_mn=None, gas_ops=None):
        if reads_flags(mn):  # nifasm refuses a read of flags nothing set
            self.raw('(cmp (rax) (rax))', 'cmp rax, rax')
        ops = typed_for_immediates(ops)
        nif = '(%s%s)' % (mn, ''.join(' ' + o.nif() for o in ops))
        g_ops = ops if gas_ops is None else gas_ops
        gas = '%s %s' % (gas_mn or mn, ', '.join(gas_of(o) for o in g_ops))
        if lock:
            nif, gas = '(lock %s)' % nif, 'lock ' + gas
        self.items.append(('case', nif, gas.strip()))
        self.mnemonics.add(mn)

    def raw(self, nif, gas):
        self.items.append(('raw', nif, gas))


def reads_flags(mn):
    """jcc, setcc, cmovcc, adc and sbb read the status flags (FX in AMD64_OPS)."""
    return mn in ('adc', 'sbb') or mn.startswith(('set', 'cmov')) or (mn.startswith('j') and mn != 'jmp')


def typed_for_immediates(ops):
    """nifasm types a (cast (i +N) ...) memory operand, and an immediate must
    fit its destination's type: with a value above the signed range of N
    bits, the memory is cast to the unsigned type (u +N) instead."""
    imms = [o.v for o in ops if isinstance(o, Imm)]
    out = []
    for o in ops:
        if isinstance(o, Mem) and o.cast and o.cast.startswith('(i ') and o.gas_size:
            bits = o.gas_size * 8
            if any(v >= 1 << (bits - 1) for v in imms):
                o = copy.copy(o)
                o.cast = '(u +%d)' % bits
        out.append(o)
    return out


def gen_mov(c):
    for size in (1, 2, 4, 8):
        rs = regs(size) + (high_regs() if size == 1 else [])
        for a in rs:
            for b in rs:
                if no_high_rex([a, b]):
                    c.add('mov', a, b.generic() if size == 8 else b)
        for k, m in enumerate(mems(size)):
            r = rot(rs, k)
            if no_high_rex([r, m]):
                c.add('mov', m, r)
                c.add('mov', r, m)
        for k, v in enumerate(IMM[size] + (MOV64 if size == 8 else [])):
            for r in (rot(rs, k), rot(rs, k + 9)):
                c.add('mov', r, Imm(v))
        for k, m in enumerate(mems(size, step=3, unsized_every=0)):
            c.add('mov', m, Imm(rot(IMM[size], k)))


def gen_alu(c, mn, lockable):
    for size in (1, 2, 4, 8):
        rs = regs(size) + (high_regs() if size == 1 else [])
        for i, a in enumerate(rs):
            for b in (rot(rs, i * 5 + 3), rot(rs, i + 1), a):
                if no_high_rex([a, b]):
                    c.add(mn, a, b)
        for k, m in enumerate(mems(size, step=2, start=size % 2)):
            r = rot(rs, k * 3)
            if no_high_rex([r, m]):
                c.add(mn, m, r)
                c.add(mn, r, m)
                if lockable:
                    c.add(mn, m, r, lock=True)
        for k, v in enumerate(IMM[size]):
            acc = rs[0]
            c.add(mn, acc, Imm(v))
            c.add(mn, rot(rs, k + 1), Imm(v))
        for k, m in enumerate(mems(size, step=7, start=size, unsized_every=0)):
            c.add(mn, m, Imm(rot(IMM[size], k)))
            if lockable:
                c.add(mn, m, Imm(rot(IMM[size], k + 3)), lock=True)


def gen_test(c):
    for size in (1, 2, 4, 8):
        rs = regs(size) + (high_regs() if size == 1 else [])
        for i, a in enumerate(rs):
            for b in (rot(rs, i * 7 + 2), a):
                if no_high_rex([a, b]):
                    c.add('test', a, b)
        for k, m in enumerate(mems(size, step=3, start=size)):
            r = rot(rs, k * 5)
            if no_high_rex([r, m]):
                c.add('test', m, r)
                c.add('test', r, m)
        for k, v in enumerate(IMM[size]):
            c.add('test', rs[0], Imm(v))
            c.add('test', rot(rs, k + 1), Imm(v))
        for k, m in enumerate(mems(size, step=9, start=size, unsized_every=0)):
            c.add('test', m, Imm(rot(IMM[size], k)))


def gen_unary(c, mn, lockable):
    for size in (1, 2, 4, 8):
        rs = regs(size) + (high_regs() if size == 1 else [])
        for r in rs:
            c.add(mn, r)
        for k, m in enumerate(mems(size, step=4, start=size, unsized_every=0)):
            c.add(mn, m)
            if lockable and k % 2:
                c.add(mn, m, lock=True)


def gen_muldiv(c):
    for mn in ('mul', 'imul', 'div', 'idiv'):
        for size in (1, 2, 4, 8):
            rs = regs(size) + (high_regs() if size == 1 else [])
            fixed = [Reg('ah', 1, 4), Reg('al', 1, 0)] if size == 1 else \
                [regs(size)[2], regs(size)[0]]  # (rdx) (rax) at this size
            srcs = [(r, False) for r in rs] + \
                [(m, True) for m in mems(size, step=6, start=size, unsized_every=2)]
            for src, is_mem in srcs:
                if mn in ('div', 'idiv'):
                    c.add(mn, fixed[0], fixed[1], src, gas_ops=[src])
                elif is_mem and src.cast is None:
                    continue  # one-operand mul: no register fixes the size
                else:
                    c.add(mn, src)
    for size in (2, 4, 8):  # imul r, r/m / r, r/m, imm / r, imm
        rs = regs(size)
        for i, a in enumerate(rs):
            c.add('imul', a, rot(rs, i * 3 + 1))
            c.add('imul', a, rot(rs, i * 3 + 1), Imm(rot(IMM[size], i)))
            c.add('imul', a, Imm(rot(IMM[size], i + 4)))
        for k, m in enumerate(mems(size, step=5, start=size)):
            c.add('imul', rot(rs, k), m)
            c.add('imul', rot(rs, k + 4), m, Imm(rot(IMM[size], k)))


def gen_shifts(c):
    for mn in ('shl', 'shr', 'sal', 'sar', 'rol', 'ror'):
        for size in (1, 2, 4, 8):
            rs = regs(size) + (high_regs() if size == 1 else [])
            cl = Reg('cl', 1, 1)
            for i, r in enumerate(rs):
                c.add(mn, r, Imm(1))
                c.add(mn, r, cl)
                c.add(mn, r, Imm(rot(SHIFT_COUNTS, i)))
            for k, m in enumerate(mems(size, step=11, start=size, unsized_every=0)):
                c.add(mn, m, Imm(1))
                c.add(mn, m, cl)
                c.add(mn, m, Imm(rot(SHIFT_COUNTS, k)))


def gen_extend(c):
    for mn in ('movzx', 'movsx'):
        for size in (2, 4, 8):
            for src_size in (1, 2):
                srcs = regs(src_size) + (high_regs() if src_size == 1 else [])
                for i, d in enumerate(regs(size)):
                    for s in (rot(srcs, i), rot(srcs, i * 3 + 5)):
                        if no_high_rex([d, s]):
                            c.add(mn, d, s)
                for k, m in enumerate(mems(src_size, step=9, start=size, unsized_every=0)):
                    c.add(mn, rot(regs(size), k), m)
    for i, d in enumerate(R64):
        c.add('movsxd', d, rot(regs(4), i * 5 + 1))
    for k, m in enumerate(mems(4, step=7, unsized_every=2)):
        c.add('movsxd', rot(R64, k), m)
    for mn in ('cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo'):
        c.add(mn)


def gen_lea(c):
    for size in (2, 4, 8):
        for k, m in enumerate(MEMS):
            c.add('lea', rot(regs(size), k), m)
    c.add('lea', R64[6], Sym('m.0'), gas_ops=[R64[6], Mem(None, sym='m.0')])


def gen_cc(c):
    ccs = CONDITION_CODES
    for k, cc in enumerate(ccs):
        rs8 = regs(1) + high_regs()
        for i in range(3):
            c.add('set' + cc, rot(rs8, k * 3 + i))
        c.add('set' + cc, rot(mems(1, unsized_every=0), k))
        c.add('set' + cc, rot(mems(1, start=1), k).sized(1, cast=True))
        for size in (2, 4, 8):
            rs = regs(size)
            for i in range(3):
                c.add('cmov' + cc, rot(rs, k + i * 5), rot(rs, k * 7 + i))
            c.add('cmov' + cc, rot(rs, k), rot(mems(size, start=k), k))


def gen_sse(c):
    xs = xmms()
    for mn in ('movapd', 'movsd', 'addsd', 'subsd', 'mulsd', 'divsd'):
        for i, a in enumerate(xs):
            c.add(mn, a, rot(xs, i * 5 + 3))
            c.add(mn, a, a)
        size = 16 if mn == 'movapd' else 8
        for k, m in enumerate(MEMS[::3]):
            cast = mn != 'movapd' and k % 2 == 1
            mm = m.sized(size, cast=cast, float_type=True)
            c.add(mn, rot(xs, k), mm)
            if mn in ('movapd', 'movsd'):
                c.add(mn, mm, rot(xs, k + 7))


# scalar instructions that read xmm, xmm/mem of their precision (bytes)
SSE_XM = [(mn, 8) for mn in ('minsd', 'maxsd', 'sqrtsd', 'ucomisd', 'comisd', 'cvtsd2ss')] + \
         [(mn, 4) for mn in ('movss', 'addss', 'subss', 'mulss', 'divss', 'minss', 'maxss',
                             'sqrtss', 'ucomiss', 'comiss', 'cvtss2sd')]


def gen_sse_more(c):
    """The scalar-single, compare, conversion, bit-move and bit-mask
    instructions, against every xmm register and the memory modes."""
    xs = xmms()
    for mn, size in SSE_XM:
        for i, a in enumerate(xs):
            c.add(mn, a, rot(xs, i * 5 + 3))
        for k, m in enumerate(MEMS[::3]):
            mm = m.sized(size, cast=k % 2 == 1, float_type=True)
            c.add(mn, rot(xs, k), mm)
            if mn == 'movss':
                c.add(mn, mm, rot(xs, k + 7))
    gen_conversions(c, xs)
    gen_bit_moves(c, xs)
    for mn in ('andpd', 'andnpd', 'orpd', 'xorpd'):
        for i, a in enumerate(xs):
            c.add(mn, a, rot(xs, i * 3 + 1))
        for k, m in enumerate(MEMS[::5]):
            c.add(mn, rot(xs, k), m.sized(16, cast=False))


def gen_conversions(c, xs):
    for mn in ('cvtsi2sd', 'cvtsi2ss'):
        for size in (4, 8):
            for i, r in enumerate(regs(size)):
                c.add(mn, rot(xs, i * 3), r)
            for k, m in enumerate(MEMS[::4]):  # two widths: always sized
                c.add(mn, rot(xs, k), m.sized(size))
    for mn, fsize in (('cvttsd2si', 8), ('cvtsd2si', 8), ('cvttss2si', 4), ('cvtss2si', 4)):
        for size in (4, 8):
            for i, r in enumerate(regs(size)):
                c.add(mn, r, rot(xs, i * 7 + 2))
            for k, m in enumerate(MEMS[::4]):
                c.add(mn, rot(regs(size), k), m.sized(fsize, cast=k % 2 == 1, float_type=True))


def gen_bit_moves(c, xs):
    for mn, size in (('movq', 8), ('movd', 4)):
        for i, r in enumerate(regs(size)):
            c.add(mn, rot(xs, i * 5), r)
            c.add(mn, r, rot(xs, i * 3 + 1))
        for k, m in enumerate(MEMS[::3]):
            mm = m.sized(size, cast=k % 2 == 1)
            c.add(mn, rot(xs, k), mm)
            c.add(mn, mm, rot(xs, k + 5))
    for i, a in enumerate(xs):
        c.add('movq', a, rot(xs, i * 5 + 3))


def gen_atomics(c):
    for size in (1, 2, 4, 8):
        rs = regs(size) + (high_regs() if size == 1 else [])
        for a in rs:  # every pair: xchg has 90+r, the eax,eax and rax,rax cases
            for b in rs:
                if no_high_rex([a, b]):
                    c.add('xchg', a, b)
        for mn in ('xadd', 'cmpxchg'):
            for i, a in enumerate(rs):
                b = rot(rs, i * 5 + 2)
                if no_high_rex([a, b]):
                    c.add(mn, a, b)
        for k, m in enumerate(mems(size, step=3, start=size)):
            r = rot(rs, k * 7)
            if not no_high_rex([r, m]):
                continue
            c.add('xchg', m, r)
            c.add('xchg', r, m)
            c.add('xchg', m, r, lock=True)
            c.add('xchg', r, m, lock=True)
            for mn in ('xadd', 'cmpxchg'):
                c.add(mn, m, r)
                c.add(mn, m, r, lock=True)
    for k, m in enumerate(MEMS[::2]):
        c.add('cmpxchg8b', m.sized(8, cast=k % 2 == 1))
        c.add('cmpxchg8b', m.sized(8, cast=False), lock=True)
        c.add('cmpxchg16b', m)
        c.add('cmpxchg16b', m, lock=True)


def gen_misc(c):
    for mn in ('mfence', 'lfence', 'sfence', 'pause', 'nop', 'syscall', 'ud2', 'int3', 'ret'):
        c.add(mn)
    for v in (0, 8, 16, 0x7fff, 0xffff):
        c.add('ret', Imm(v))
    for mn in ('clflush', 'prefetcht0', 'prefetcht1', 'prefetcht2', 'prefetchnta'):
        for k, m in enumerate(MEMS[::2]):  # any width: only the address counts
            nif_m = m.sized(rot([1, 8], k)) if k % 3 == 1 else m
            c.add(mn, nif_m, gas_ops=[m])
    for size in (2, 4, 8):
        for r in regs(size)[::3]:
            c.add('nop', r)
        c.add('nop', rot(MEMS, size).sized(size))
    for size in (2, 8):
        for r in regs(size):
            c.add('push', r.generic() if size == 8 else r)
            c.add('pop', r)
        for k, m in enumerate(mems(size, step=5, unsized_every=0 if size == 2 else 2)):
            c.add('push', m)
            c.add('pop', m)
    for v in IMM[8]:
        c.add('push', Imm(v))
    for k, r in enumerate(R64):
        c.add('call', r)
        c.add('jmp', r.generic())
    for k, m in enumerate(mems(8, step=4)):
        c.add('call', m)
        c.add('jmp', m)


def gen_rip_immediates(c):
    """RIP-relative displacements count from the instruction's end, so
    they depend on the immediate that follows: 1, 2 and 4 bytes."""
    rips = [m for m in MEMS if m.sym]
    for k, m in enumerate(rips):
        for size in (1, 2, 4, 8):
            mm = m.sized(size)
            for v in (1, -1, 0x7f, 0x100 if size > 1 else 0x55):
                c.add('mov', mm, Imm(v))
                c.add('add', mm, Imm(v))
                c.add('test', mm, Imm(v))
            c.add('shl', mm, Imm(3))
            if size > 1:
                c.add('imul', rot(regs(size), k), m.sized(size, cast=False), Imm(5))
                c.add('imul', rot(regs(size), k), m.sized(size, cast=False), Imm(1000))


def pad(c, nbytes):
    """Instructions of exactly nbytes bytes: 10-byte movabs and nops."""
    big = Imm(0x123456789)
    while nbytes >= 10:
        c.add('mov', R64[11], big)
        nbytes -= 10
    for _ in range(nbytes):
        c.add('nop')


class Labels:
    def __init__(self):
        self.n = 0

    def new(self):
        self.n += 1
        return 'l%d.0' % self.n


def lab(c, name):
    c.raw('(lab :%s)' % name, '%s:' % name.replace('.', ''))


def gen_jumps(c):
    """Short and near, forward and backward, at the 8-bit boundaries, for
    jmp, call and every condition spelling; and a chain where one jump's
    growth pushes another out of short range."""
    labels = Labels()
    for k, mn in enumerate(['jmp', 'call'] + ['j' + cc for cc in CONDITION_CODES]):
        far = [0, 127, 128] if k < 4 else [(127, 128, 5)[k % 3]]
        for n in far:
            l = labels.new()
            c.add(mn, Sym(l))
            pad(c, n)
            lab(c, l)
        back = [0, 126, 127] if k < 4 else [(126, 127, 40)[k % 3]]
        for n in back:
            l = labels.new()
            lab(c, l)
            pad(c, n)
            c.add(mn, Sym(l))
        c.add(mn, Sym('f.0'))
    # chain: the first jump reaches its label only while the second is short
    for extra in (0, 1):
        a, b = labels.new(), labels.new()
        c.add('jne', Sym(a))
        pad(c, 121 + extra)
        c.add('je', Sym(b))
        pad(c, 3)
        lab(c, a)
        pad(c, 130)
        lab(c, b)
    gen_cascades(c, labels)


def gen_cascades(c, labels):
    """Chains of 6 jumps, each in short range of its label only while the
    next (forward) or the previous (backward) one is short.  The last
    (first) is out of range, so they grow one after the other from it
    until a link 4 bytes shorter stops them: half near, half short."""
    for mn in ('jmp', 'jne'):  # forward: jump i lands just past jump i+1
        ls = [labels.new() for _ in range(6)]
        gap = 125 if mn == 'jmp' else 122  # a jne comes after a 3-byte cmp
        for i, l in enumerate(ls):
            c.add(mn, Sym(l))
            if i:
                lab(c, ls[i - 1])
            pad(c, 128 if i == 5 else gap - 4 if i == 2 else gap)
        lab(c, ls[5])
    ls = [labels.new() for _ in range(7)]  # backward: jump i lands just before jump i-1
    lab(c, ls[0])
    pad(c, 124)
    for i in range(6):
        lab(c, ls[i + 1])
        c.add('jl', Sym(ls[i]))
        pad(c, 114 if i == 2 else 118)


def read_condition_codes():
    text = open(os.path.join(ROOT, 'src/amd64/amd64.h')).read()
    block = text[text.index('#define AMD64_CCS'):]
    block = block[:block.index('\n\n')]
    return re.findall(r'_\((\w+), \d+\)', block)


def header_mnemonics():
    """Every mnemonic AMD64_OPS defines: OP(name, ...), NAME_FORMS(name, ...)
    group invocations, and the condition families."""
    text = open(os.path.join(ROOT, 'src/amd64/amd64.h')).read()
    ops = text[text.index('#define AMD64_OPS'):]
    ops = ops[:ops.index('\n\n')]
    names = set(re.findall(r'\bOP\((\w+),', ops))
    names |= set(re.findall(r'\b(?!CC_)[A-Z0-9]+_FORMS\((\w+),', ops))
    if 'AMD64_CCS(CC_FORMS)' in ops:
        for cc in CONDITION_CODES:
            names |= {'j' + cc, 'set' + cc, 'cmov' + cc}
    return names


CONDITION_CODES = read_condition_codes()


def generate():
    c = Cases()
    c.raw('(rodata :m.0 "0123456789abcdef0123456789abcdef")', None)
    gen_mov(c)
    for mn, lockable in (('add', 1), ('or', 1), ('adc', 1), ('sbb', 1), ('and', 1),
                         ('sub', 1), ('xor', 1), ('cmp', 0)):
        gen_alu(c, mn, lockable)
    gen_test(c)
    for mn, lockable in (('inc', 1), ('dec', 1), ('neg', 1), ('not', 1)):
        gen_unary(c, mn, lockable)
    gen_muldiv(c)
    gen_shifts(c)
    gen_extend(c)
    gen_lea(c)
    gen_cc(c)
    gen_sse(c)
    gen_sse_more(c)
    gen_atomics(c)
    gen_misc(c)
    gen_rip_immediates(c)
    gen_jumps(c)
    return c


# ---- impossible combinations --------------------------------------------------------

def negative_cases():
    """(nif, gas, gas_may_warn): combinations the hardware does not have."""
    out = []
    m = Mem(R64[0])
    r64, r32, r16, r8 = regs(8), regs(4), regs(2), regs(1)
    for mn in ('mov', 'add', 'sub', 'and', 'or', 'xor', 'cmp', 'test', 'xchg', 'adc'):
        out.append(('(%s %s %s)' % (mn, m.sized(8).nif(), Mem(R64[3]).sized(8).nif()),
                    '%s QWORD PTR [rax], QWORD PTR [rbx]' % mn, False))
        out.append(('(%s +1 (rax))' % mn, '%s 1, rax' % mn, False))
        for a, b in ((r64[0], r32[1]), (r32[2], r16[3]), (r16[0], r8[1]), (r8[2], r64[9])):
            out.append(('(%s %s %s)' % (mn, a.nif(), b.nif()), '%s %s, %s' % (mn, a.gas, b.gas), False))
        for h in high_regs():
            for r in (r8[6], r8[9], r8[4]):
                out.append(('(%s %s %s)' % (mn, h.nif(), r.nif()), '%s %s, %s' % (mn, h.gas, r.gas), False))
            out.append(('(%s %s %s)' % (mn, h.nif(), Mem(R64[9]).nif()),
                        '%s %s, [r9]' % (mn, h.gas), False))
    for mn in ('add', 'sub', 'and', 'or', 'xor', 'cmp', 'test'):
        out.append(('(%s (rax) +2147483648)' % mn, '%s rax, 2147483648' % mn, False))
        out.append(('(%s (rcx) -2147483649)' % mn, '%s rcx, -2147483649' % mn, False))
        out.append(('(%s (al) +256)' % mn, '%s al, 256' % mn, True))
        out.append(('(%s (cx) +65536)' % mn, '%s cx, 65536' % mn, True))
    for mn in ('inc', 'dec', 'neg', 'not', 'mul', 'imul', 'shl', 'sar'):
        extra = ' +1' if mn in ('shl', 'sar') else ''
        g_extra = ', 1' if extra else ''
        out.append(('(%s (mem (rax))%s)' % (mn, extra), '%s [rax]%s' % (mn, g_extra), False))
        out.append(('(%s +5%s)' % (mn, extra), '%s 5%s' % (mn, g_extra), False))
    for mn in ('shl', 'shr', 'sar', 'rol'):
        out.append(('(%s (rax) (bl))' % mn, '%s rax, bl' % mn, False))
        out.append(('(%s (rax) (cx))' % mn, '%s rax, cx' % mn, False))
        out.append(('(%s (eax) +256)' % mn, '%s eax, 256' % mn, False))
        out.append(('(%s (mem (rax)) (cl))' % mn, '%s [rax], cl' % mn, False))
    for cc in ('e', 'ne', 'l', 'a'):
        out.append(('(set%s (eax))' % cc, 'set%s eax' % cc, False))
        out.append(('(cmov%s (al) (bl))' % cc, 'cmov%s al, bl' % cc, False))
        out.append(('(cmov%s (mem (rax)) (ebx))' % cc, 'cmov%s [rax], ebx' % cc, False))
        out.append(('(cmov%s (eax) +1)' % cc, 'cmov%s eax, 1' % cc, False))
        out.append(('(set%s (ah) (al))' % cc, 'set%s ah, al' % cc, False))
    for a, b, ga, gb in (('(xmm0)', '(rax)', 'xmm0', 'rax'), ('(rax)', '(xmm1)', 'rax', 'xmm1'),
                         ('(xmm0)', '(cast (i +32) (mem (rax)))', 'xmm0', 'DWORD PTR [rax]'),
                         ('(mem (rax))', '(mem (rbx))', 'QWORD PTR [rax]', 'QWORD PTR [rbx]'),
                         ('(xmm2)', '+1', 'xmm2', '1')):
        for mn in ('movsd', 'addsd', 'subsd', 'mulsd', 'divsd', 'movapd'):
            out.append(('(%s %s %s)' % (mn, a, b), '%s %s, %s' % (mn, ga, gb), False))
    out += [
        ('(cvtsi2sd (xmm0) (ax))', 'cvtsi2sd xmm0, ax', False),
        ('(cvtsi2ss (xmm1) (cl))', 'cvtsi2ss xmm1, cl', False),
        ('(cvttsd2si (ax) (xmm0))', 'cvttsd2si ax, xmm0', False),
        ('(cvtsd2si (mem (rax)) (xmm0))', 'cvtsd2si QWORD PTR [rax], xmm0', False),
        ('(cvtss2sd (rax) (xmm0))', 'cvtss2sd rax, xmm0', False),
        ('(ucomisd (mem (rax)) (xmm0))', 'ucomisd QWORD PTR [rax], xmm0', False),
        ('(comiss (xmm0) (eax))', 'comiss xmm0, eax', False),
        ('(movss (mem (rax)) (mem (rbx)))', 'movss DWORD PTR [rax], DWORD PTR [rbx]', False),
        ('(movq (xmm0) (eax))', 'movq xmm0, eax', False),
        ('(movd (xmm0) (ax))', 'movd xmm0, ax', False),
        ('(sqrtsd (xmm0) +1)', 'sqrtsd xmm0, 1', False),
        ('(xorpd (rax) (xmm0))', 'xorpd rax, xmm0', False),
        ('(lea (rax) (rbx))', 'lea rax, rbx', False),
        ('(lea (al) (mem (rbx)))', 'lea al, [rbx]', False),
        ('(lea (rax) +5)', 'lea rax, 5', False),
        ('(push (eax))', 'push eax', False),
        ('(push (cl))', 'push cl', False),
        ('(pop (ecx))', 'pop ecx', False),
        ('(pop +1)', 'pop 1', False),
        ('(push +2147483648)', 'push 2147483648', False),
        ('(push (cast (i +32) (mem (rax))))', 'push DWORD PTR [rax]', False),
        ('(ret +65536)', 'ret 65536', False),
        ('(ret (rax))', 'ret rax', False),
        ('(jmp (eax))', 'jmp eax', False),
        ('(call (ecx))', 'call ecx', False),
        ('(jmp (xmm0))', 'jmp xmm0', False),
        ('(cmpxchg8b (rax))', 'cmpxchg8b rax', False),
        ('(cmpxchg8b (cast (i +32) (mem (rax))))', 'cmpxchg8b DWORD PTR [rax]', False),
        ('(cmpxchg (mem (rax)) (mem (rbx)))', 'cmpxchg QWORD PTR [rax], QWORD PTR [rbx]', False),
        ('(cmpxchg (rax) +1)', 'cmpxchg rax, 1', False),
        ('(xadd (rax) (ecx))', 'xadd rax, ecx', False),
        ('(xadd (eax) +1)', 'xadd eax, 1', False),
        ('(xchg (rax) +1)', 'xchg rax, 1', False),
        ('(clflush (rax))', 'clflush rax', False),
        ('(prefetcht0 (rax))', 'prefetcht0 rax', False),
        ('(prefetchnta +1)', 'prefetchnta 1', False),
        ('(movzx (eax) (ecx))', 'movzx eax, ecx', False),
        ('(movzx (al) (bl))', 'movzx al, bl', False),
        ('(movzx (eax) (mem (rbx)))', 'movzx eax, [rbx]', False),
        ('(movsx (r8d) (ah))', 'movsx r8d, ah', False),
        ('(movsxd (rax) (rcx))', 'movsxd rax, rcx', False),
        ('(imul (al) (bl))', 'imul al, bl', False),
        ('(imul (ax) (bx) (cx))', 'imul ax, bx, cx', False),
        ('(imul (eax) (ecx) +4294967296)', 'imul eax, ecx, 4294967296', True),
        ('(imul (rax) (rcx) +2147483648)', 'imul rax, rcx, 2147483648', False),
        ('(mov (eax) +4294967296)', 'mov eax, 4294967296', True),
        ('(mov (al) +256)', 'mov al, 256', True),
        ('(mov (ax) +65536)', 'mov ax, 65536', True),
        ('(mov (mem (rax)) +1)', 'mov [rax], 1', False),
        ('(mov (spl) (ah))', 'mov spl, ah', False),
        ('(mov (ah) (mem (rax) (r9) +1))', 'mov ah, [rax+r9*1]', False),
        ('(nop +1)', 'nop 1', False),
        ('(nop (al))', 'nop al', False),
        ('(syscall (rax))', 'syscall rax', False),
        ('(mfence (rax))', 'mfence rax', False),
        ('(lock (add (rax) (rbx)))', 'lock add rax, rbx', False),
        ('(lock (mov (mem (rax)) (ebx)))', 'lock mov [rax], ebx', False),
        ('(lock (cmp (mem (rax)) (ebx)))', 'lock cmp [rax], ebx', False),
        ('(lock (test (mem (rax)) (ebx)))', 'lock test [rax], ebx', False),
        ('(lock (inc (ecx)))', 'lock inc ecx', False),
        ('(lock (xchg (ecx) (edx)))', 'lock xchg ecx, edx', False),
        ('(lock (shl (cast (i +32) (mem (rax))) +1))', 'lock shl DWORD PTR [rax], 1', False),
    ]
    return out


# ---- running the assemblers ------------------------------------------------------------

# A report of AddressSanitizer, LeakSanitizer or UBSan (as in tests/run.py).
SANITIZER_RE = re.compile(r'^==\d+==ERROR: \w+Sanitizer|^SUMMARY: \w+Sanitizer|^\S+:\d+:\d+: runtime error: ',
                          re.M)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def write_nif(c, path):
    """One item per line; returns {line number: item index}."""
    lines = ['(.nif24)', '(stmts']
    line_of = {}
    for i, (kind, nif, gas) in enumerate(c.items):
        line_of[len(lines) + 1] = i
        lines.append('  ' + nif)
    lines.append('  (proc :f.0 (body (ret))))')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return line_of


def write_gas(c, path):
    lines = ['.intel_syntax noprefix', '.section .rodata', 'm0: .ascii "0123456789abcdef0123456789abcdef"',
             '.text', '.globl _start', '_start:']
    for i, (kind, nif, gas) in enumerate(c.items):
        if gas is None:
            continue
        if kind == 'case':
            lines += ['c%d:' % i, gas, 'e%d:' % i]
        else:
            lines.append(gas)
    lines += ['.balign 16, 0xcc', '.globl f0', 'f0:', 'ret']
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def section_addrs(elf):
    out = run(['readelf', '-SW', elf]).stdout
    addrs = {}
    for m in re.finditer(r'\]\s+(\.\w+)\s+\w+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)', out):
        addrs[m.group(1)] = (int(m.group(2), 16), int(m.group(4), 16))
    return addrs


def text_bytes(elf, tmp, name):
    out = os.path.join(tmp, name)
    p = run(['objcopy', '-O', 'binary', '--only-section=.text', elf, out])
    if p.returncode:
        raise RuntimeError('objcopy failed: ' + p.stderr)
    return open(out, 'rb').read()


def nifasm_listing(text):
    """{line: (address, length)} from `nifasm --list`."""
    out = {}
    entries = []
    for line in text.splitlines():
        m = re.match(r'^([0-9a-f]{8})  ((?:[0-9a-f]{2} |   ){8})(?:\S+?:(\d+)  )?', line)
        if not m:
            continue
        nbytes = len(m.group(2).split())
        if m.group(3):
            entries.append([int(m.group(3)), int(m.group(1), 16), nbytes])
        elif entries:
            entries[-1][2] += nbytes
    for ln, addr, n in entries:
        out[ln] = (addr, n)
    return out


def gas_symbols(obj):
    syms = {}
    for line in run(['nm', obj]).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and re.match(r'^[ce]\d+$', parts[2]):
            syms[parts[2]] = int(parts[0], 16)
    return syms


def hexs(b):
    return ' '.join('%02x' % x for x in b)


class Failure(Exception):
    pass


def assemble_nifasm(nifasm, c, tmp):
    src, out = os.path.join(tmp, 'cases.nif'), os.path.join(tmp, 'cases.elf')
    line_of = write_nif(c, src)
    p = run([nifasm, '--list', src, '-o', out])
    if p.returncode or SANITIZER_RE.search(p.stderr):
        raise Failure('nifasm rejected the cases:\n' + '\n'.join(p.stderr.splitlines()[:30]))
    return line_of, nifasm_listing(p.stdout), out


def assemble_gas(c, tmp, addrs):
    src, obj, exe = (os.path.join(tmp, n) for n in ('cases.s', 'cases.o', 'cases.gas.elf'))
    write_gas(c, src)
    p = run(['as', '--64', '-o', obj, src])
    if p.returncode:
        raise Failure('as rejected the cases:\n' + '\n'.join(p.stderr.splitlines()[:30]))
    cmd = ['ld', '-m', 'elf_x86_64', '-static', '-nostdlib', '-e', '_start', '-o', exe, obj,
           '-Ttext=%#x' % addrs['.text'][0], '--section-start=.rodata=%#x' % addrs['.rodata'][0]]
    p = run(cmd)
    if p.returncode:
        raise Failure('ld failed:\n' + p.stderr)
    return gas_symbols(obj), exe


def compare_cases(c, line_of, listing, nif_text, nif_base, syms, gas_text):
    """Returns (compared, mismatch reports)."""
    compared, bad = 0, []
    for line, i in sorted(line_of.items()):
        kind, nif, gas = c.items[i]
        if kind != 'case':
            continue
        if line not in listing:
            bad.append('line %d: %s has no listing entry' % (line, nif))
            continue
        addr, n = listing[line]
        ours = nif_text[addr - nif_base:addr - nif_base + n]
        theirs = gas_text[syms['c%d' % i]:syms['e%d' % i]]
        compared += 1
        if ours != theirs:
            bad.append('line %d: %s\n    nifasm: %s\n    as:     %s   (%s)' % (
                line, nif, hexs(ours), hexs(theirs), gas))
    return compared, bad


def differential(nifasm, tmp):
    c = generate()
    missing = sorted(header_mnemonics() - c.mnemonics)
    if missing:
        raise Failure('mnemonics of amd64.h without a case: ' + ' '.join(missing))
    line_of, listing, nif_elf = assemble_nifasm(nifasm, c, tmp)
    addrs = section_addrs(nif_elf)
    syms, gas_elf = assemble_gas(c, tmp, addrs)
    ours, theirs = text_bytes(nif_elf, tmp, 'n.bin'), text_bytes(gas_elf, tmp, 'g.bin')
    compared, bad = compare_cases(c, line_of, listing, ours, addrs['.text'][0], syms, theirs)
    if not bad and ours != theirs:
        bad.append('the .text sections differ outside the cases (%d vs %d bytes)' % (len(ours), len(theirs)))
    distinct = len({nif for kind, nif, _ in c.items if kind == 'case'})
    return compared, distinct, len(c.mnemonics), bad


# ---- the negative cases -------------------------------------------------------------------

MAX_ERRORS = 100  # nifasm stops reporting after this many


def nifasm_error_lines(nifasm, nifs, tmp):
    """Lines (1-based within nifs) on which nifasm reports an error."""
    lines = set()
    for start in range(0, len(nifs), MAX_ERRORS - 1):
        chunk = nifs[start:start + MAX_ERRORS - 1]
        src = os.path.join(tmp, 'neg%d.nif' % start)
        with open(src, 'w') as f:
            f.write('(stmts\n' + '\n'.join(chunk) + '\n)\n')
        p = run([nifasm, '--check', src])
        if p.returncode != 1 or SANITIZER_RE.search(p.stderr):
            raise Failure('nifasm --check on impossible combinations: exit status %d, expected 1\n%s'
                          % (p.returncode, '\n'.join(p.stderr.splitlines()[-30:])))
        for m in re.finditer(r'^\S+?:(\d+):\d+: error: ', p.stderr, re.M):
            lines.add(start + int(m.group(1)) - 1)
    return lines


def gas_diagnostic_lines(gas_lines, tmp):
    src = os.path.join(tmp, 'neg.s')
    with open(src, 'w') as f:
        f.write('.intel_syntax noprefix\n' + '\n'.join(gas_lines) + '\n')
    p = run(['as', '--64', '-o', os.path.join(tmp, 'neg.o'), src])
    errors, warnings = set(), set()
    for m in re.finditer(r'^\S+?:(\d+): (Error|Warning): ', p.stderr, re.M):
        (errors if m.group(2) == 'Error' else warnings).add(int(m.group(1)) - 1)
    return errors, warnings


def negatives(nifasm, tmp):
    cases = negative_cases()
    ours = nifasm_error_lines(nifasm, [n for n, _, _ in cases], tmp)
    errors, warnings = gas_diagnostic_lines([g for _, g, _ in cases], tmp)
    bad = []
    for k, (nif, gas, may_warn) in enumerate(cases, 1):
        if k not in ours:
            bad.append('nifasm accepts the impossible %s' % nif)
        if k not in errors and not (may_warn and k in warnings):
            bad.append('GNU as accepts %r, listed as impossible (%s)' % (gas, nif))
    return len(cases), bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--nifasm', required=True)
    ap.add_argument('--keep', help='keep the generated files in this directory')
    a = ap.parse_args()
    nifasm = os.path.abspath(a.nifasm)
    with tempfile.TemporaryDirectory(prefix='x86diff-') as tmp:
        work = a.keep or tmp
        os.makedirs(work, exist_ok=True)
        try:
            compared, distinct, nmn, bad = differential(nifasm, work)
            nneg, bad_neg = negatives(nifasm, work)
        except Failure as e:
            print('x86 differential: %s' % e)
            return 1
    for line in (bad + bad_neg)[:MAX_REPORT]:
        print(line)
    if len(bad) + len(bad_neg) > MAX_REPORT:
        print('... and %d more' % (len(bad) + len(bad_neg) - MAX_REPORT))
    print('x86 differential: %d cases compared (%d distinct, %d mnemonics), %d mismatches; '
          '%d impossible combinations, %d accepted' % (compared, distinct, nmn, len(bad), nneg, len(bad_neg)))
    return 1 if bad or bad_neg else 0


if __name__ == '__main__':
    sys.exit(main())
