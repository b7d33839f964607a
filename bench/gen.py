#!/usr/bin/env python3
"""Writes one generated program in four syntaxes, for benchmarking nifasm
against the assemblers people use:

    gen.py N OUTDIR      ->  OUTDIR/prog.nif   nifasm NIF
                             OUTDIR/prog.s     GNU as (AT&T syntax, as gcc -S writes it)
                             OUTDIR/prog.asm   NASM and YASM
                             OUTDIR/prog.fasm  fasm (format ELF64 executable)
                             OUTDIR/prog.json  {"instructions": ..., "procs": ...}

N is the number of machine instructions wanted (1e6 is accepted); the
program has at least that many and prog.json says exactly how many.  Every
version is the same machine code: the NIF uses types, (dot ...)/(at ...),
typed stack variables, checked calls, ite and loop, and the flat versions
spell out what nifasm computes from them, using the same layout model:

    Rec.0 = (object (fld :a (i +64)) (fld :b (i +32)) (fld :c (i +32))
                    (fld :v (array (i +64) +8)))
            a at 0, b at 8, c at 12, v at 16 + 8*i; size 80, alignment 8
    frame of every proc: loc.0 (Rec.0) at [rsp+0], t.0 (i +64) at [rsp+80];
            88 bytes, so (ssize) = 96 (rounded up to 16)
    ite COND T E   -> j!COND ELSE; T; jmp END; ELSE: E; END:
    loop P COND B  -> HEAD: P; j!COND EXIT; B; jmp HEAD; EXIT:
    (call f (lea p.0 x) (mov n.0 y) (mov (rax) r.0))
                   -> lea rdi, x; mov rsi, y; call f   (the rax binding is elided)

The program: procs p0 .. pP-1 of 2 to 30 blocks each (moves, arithmetic,
loads and stores through dot/at on a pointer parameter and a stack record,
globals in .data/.bss/.rodata, loops, ites, calls).  Proc k calls procs
2k+1 and 2k+2 (a binary tree, so every proc runs once and the stack stays
shallow); main.0 calls p0 and exits with the low 8 bits of a checksum of
all the work.  The blocks are rendered once per syntax as templates and
then instantiated, which keeps generation fast at 10^7 instructions.
"""
import json
import os
import random
import sys

# ---- registers -----------------------------------------------------------------

R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
       'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15']
R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi',
       'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d']
R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil',
      'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b']
BY_SIZE = {8: R64, 4: R32, 1: R8}
SIZE_KW = {1: 'byte', 2: 'word', 4: 'dword', 8: 'qword'}
ATT_SUFFIX = {1: 'b', 2: 'w', 4: 'l', 8: 'q'}
NEGATE = {'l': 'ge', 'ge': 'l', 'zf': 'nz', 'nz': 'z', 'g': 'le', 'le': 'g'}
JCC = {'l': 'jl', 'ge': 'jge', 'zf': 'je', 'nz': 'jne', 'z': 'je', 'g': 'jg', 'le': 'jle'}


class Op:
    """An operand in NIF and in flat form (kind: reg, imm, mem, label, sym)."""

    def __init__(self, kind, nif, **kw):
        self.kind = kind
        self.nif = nif
        self.size = kw.get('size', 8)
        self.reg = kw.get('reg')
        self.value = kw.get('value')
        self.base = kw.get('base')
        self.index = kw.get('index')
        self.scale = kw.get('scale', 1)
        self.disp = kw.get('disp', '0')
        self.sym = kw.get('sym')


def reg(name):
    for size, names in BY_SIZE.items():
        if name in names:
            return Op('reg', '(%s)' % name, reg=name, size=size)
    raise ValueError(name)


def var(nif_name, reg_name):
    """A variable bound to a register: its name in NIF, the register in flat code."""
    r = reg(reg_name)
    r.nif = nif_name
    return r


def imm(v):
    return Op('imm', '+%s' % v, value=v)


def mem(nif, size=8, base=None, index=None, scale=1, disp='0', sym=None):
    return Op('mem', nif, size=size, base=base, index=index, scale=scale, disp=disp, sym=sym)


# ---- the syntaxes -------------------------------------------------------------------

def intel_mem(m, rip_keyword):
    parts = []
    if m.sym:
        parts.append(m.sym)
    if m.base:
        parts.append(m.base)
    if m.index:
        parts.append('%s*%d' % (m.index, m.scale))
    if m.disp != '0':
        parts.append(m.disp)
    inner = '+'.join(parts)
    if m.sym and rip_keyword:
        inner = 'rel ' + inner
    return '%s [%s]' % (SIZE_KW[m.size], inner)


def intel_op(o, rip_keyword, mnemonic):
    if o.kind == 'reg':
        return o.reg
    if o.kind == 'imm':
        return str(o.value)
    if o.kind == 'mem':
        s = intel_mem(o, rip_keyword)
        return s.split(' ', 1)[1] if mnemonic == 'lea' else s
    return o.nif  # label or proc: already its flat spelling


def att_op(o):
    if o.kind == 'reg':
        return '%' + o.reg
    if o.kind == 'imm':
        return '$' + str(o.value)
    if o.kind == 'mem':
        if o.sym:
            return '%s+%s(%%rip)' % (o.sym, o.disp) if o.disp != '0' else '%s(%%rip)' % o.sym
        inner = '%' + o.base
        if o.index:
            inner += ',%%%s,%d' % (o.index, o.scale)
        return '%s(%s)' % ('' if o.disp == '0' else o.disp, inner)
    return o.nif


def att_mnemonic(mn, ops):
    if mn == 'movsxd':
        return 'movslq'
    if mn == 'movzx':
        return 'movz%s%s' % (ATT_SUFFIX[ops[1].size], ATT_SUFFIX[ops[0].size])
    if mn in ('call', 'ret', 'jmp') or mn.startswith('j'):
        return mn
    sized = [o.size for o in ops if o.kind in ('reg', 'mem')]
    return mn + ATT_SUFFIX[sized[0]] if sized else mn


class Writer:
    """Collects a block's lines in every syntax; flat jumps carry labels."""

    def __init__(self):
        self.nif, self.att, self.nasm, self.fasm = [], [], [], []
        self.depth = 2
        self.count = 0

    def ins(self, mn, *ops):
        pad = ' ' * self.depth
        self.nif.append('%s(%s %s)' % (pad, mn, ' '.join(o.nif for o in ops)) if ops
                        else '%s(%s)' % (pad, mn))
        self.flat(mn, *ops)

    def flat(self, mn, *ops):
        self.count += 1
        self.att.append('\t%s\t%s' % (att_mnemonic(mn, ops), ', '.join(att_op(o) for o in reversed(ops))))
        self.nasm.append('\t%s %s' % (mn, ', '.join(intel_op(o, True, mn) for o in ops)))
        self.fasm.append('\t%s %s' % (mn, ', '.join(intel_op(o, False, mn) for o in ops)))

    def label(self, name):
        for lines in (self.att, self.nasm, self.fasm):
            lines.append('%s:' % name)

    def jump(self, mn, name):
        self.flat(mn, Op('label', name))

    def nif_line(self, text):
        self.nif.append(' ' * self.depth + text)

    def ite(self, cond, then_fn, else_fn, labels):
        """(ite (cond) then else); else must not be empty."""
        els, end = labels
        self.nif_line('(ite (%s)' % cond)
        self.jump(JCC[NEGATE[cond]], els)
        self.branch(then_fn)
        self.jump('jmp', end)
        self.label(els)
        self.branch(else_fn)
        self.label(end)
        self.nif[-1] += ')'

    def loop(self, pre_fn, cond, body_fn, labels):
        """(loop (stmts pre) (cond) (stmts body) (stmts)); the body must not end in an ite."""
        head, out = labels
        self.nif_line('(loop')
        self.label(head)
        self.branch(pre_fn)
        self.nif_line(' (%s)' % cond)
        self.jump(JCC[NEGATE[cond]], out)
        self.branch(body_fn)
        self.jump('jmp', head)
        self.nif_line(' (stmts))')
        self.label(out)

    def branch(self, fn):
        self.nif_line(' (stmts')
        self.depth += 2
        fn()
        self.depth -= 2
        self.nif[-1] += ')'


# ---- the program's operands ------------------------------------------------------------

Q = var('q.0', 'rbx')        # (ptr Rec.0): the record the caller passed
ACC = var('acc.0', 'r12')    # (i +64): the running checksum
LOC_OFF, T_OFF, SSIZE = 0, 80, 96


def q_field(f, off, size):
    return mem('(mem (dot q.0 %s))' % f, size=size, base='rbx', disp=str(off))


def loc_field(f, off, size):
    return mem('(mem (dot loc.0 %s))' % f, size=size, base='rsp', disp=str(LOC_OFF + off))


def at_v(record, base, index):
    return mem('(mem (at (dot %s v) (%s)))' % (record, index), base=base, index=index, scale=8,
               disp=str(16 + (LOC_OFF if base == 'rsp' else 0)))


T_SLOT = mem('t.0', base='rsp', disp=str(T_OFF))


def gtab(k):
    return mem('(mem (at gtab.0 +{%s}))' % k, sym='gtab', disp='{%s8}' % k)


# ---- blocks: each is rendered once per syntax with {placeholders} -------------------------

def block_fill(w):
    """Initialises the stack record from the caller's record: loc = f(*q)."""
    w.ins('mov', reg('rax'), q_field('a', 0, 8))
    w.ins('add', reg('rax'), ACC)
    w.ins('mov', loc_field('a', 0, 8), reg('rax'))
    w.ins('mov', reg('ecx'), q_field('c', 12, 4))
    w.ins('add', reg('ecx'), imm('{k1}'))
    w.ins('mov', loc_field('b', 8, 4), reg('ecx'))
    w.ins('mov', loc_field('c', 12, 4), reg('ecx'))
    w.ins('xor', reg('ecx'), reg('ecx'))

    def body():
        w.ins('mov', reg('rdx'), at_v('q.0', 'rbx', 'rcx'))
        w.ins('add', reg('rdx'), reg('rcx'))
        w.ins('xor', reg('rdx'), ACC)
        w.ins('mov', at_v('loc.0', 'rsp', 'rcx'), reg('rdx'))
        w.ins('add', reg('rcx'), imm(1))
    w.loop(lambda: w.ins('cmp', reg('rcx'), imm(8)), 'l', body, ('{L1}', '{L2}'))


def block_fields(w):
    w.ins('mov', reg('rax'), q_field('a', 0, 8))
    w.ins('movsxd', reg('rcx'), q_field('b', 8, 4))
    w.ins('imul', reg('rax'), reg('rcx'))
    w.ins('add', reg('rax'), imm('{k1}'))
    w.ins('mov', loc_field('a', 0, 8), reg('rax'))
    w.ins('add', ACC, reg('rax'))


def block_globals(w):
    w.ins('mov', reg('rdx'), gtab('g'))
    w.ins('add', reg('rdx'), ACC)
    w.ins('mov', gtab('g'), reg('rdx'))
    w.ins('movzx', reg('eax'), mem('(cast (u +8) (mem rtab.0 +{r}))', size=1, sym='rtab', disp='{r}'))
    w.ins('add', ACC, reg('rax'))
    w.ins('add', mem('(mem gcnt.0)', sym='gcnt'), imm(1))
    w.ins('mov', mem('(mem (dot gacc.0 c))', size=4, sym='gacc', disp='12'), reg('eax'))


def block_ite(w):
    w.ins('mov', reg('rax'), ACC)
    w.ins('and', reg('eax'), imm('{m}'))
    w.ins('cmp', reg('eax'), imm('{k2}'))

    def then():
        w.ins('add', ACC, q_field('a', 0, 8))
        w.ins('mov', T_SLOT, reg('rax'))

    def other():
        w.ins('sub', ACC, imm('{k3}'))
        w.ins('mov', T_SLOT, ACC)
    w.ite('l', then, other, ('{L1}', '{L2}'))
    w.ins('add', ACC, T_SLOT)


def block_loop_ite(w):
    w.ins('xor', reg('ecx'), reg('ecx'))

    def body():
        w.ins('mov', reg('rax'), at_v('loc.0', 'rsp', 'rcx'))
        w.ins('test', reg('al'), imm(1))
        w.ite('zf', lambda: w.ins('add', ACC, reg('rax')), lambda: w.ins('sub', ACC, reg('rcx')),
              ('{L3}', '{L4}'))
        w.ins('add', reg('rcx'), imm(1))
    w.loop(lambda: w.ins('cmp', reg('rcx'), imm(8)), 'l', body, ('{L1}', '{L2}'))


def block_shift(w):
    w.ins('mov', reg('rdx'), ACC)
    w.ins('shl', reg('rdx'), imm('{s}'))
    w.ins('mov', reg('r8'), q_field('a', 0, 8))
    w.ins('xor', reg('r8'), reg('rdx'))
    w.ins('lea', reg('r9'), mem('(mem (r8) (rdx) +2 +{k1})', base='r8', index='rdx', scale=2, disp='{k1}'))
    w.ins('sub', ACC, reg('r9'))
    w.ins('mov', mem('(mem (at (dot loc.0 v) +{i}))', base='rsp', disp='{i8p16}'), reg('r9'))


def block_call(w):
    w.nif_line('(call p{child}.0 (lea p.0 loc.0) (mov n.0 acc.0) (mov (rax) r.0))')
    w.flat('lea', reg('rdi'), mem('', base='rsp', disp=str(LOC_OFF)))
    w.flat('mov', reg('rsi'), reg('r12'))
    w.flat('call', Op('label', 'p{child}'))
    w.ins('xor', ACC, reg('rax'))


BLOCKS = {'fill': block_fill, 'fields': block_fields, 'globals': block_globals,
          'ite': block_ite, 'loop_ite': block_loop_ite, 'shift': block_shift,
          'call': block_call}
WEIGHTS = [('fields', 3), ('globals', 2), ('ite', 3), ('loop_ite', 1), ('shift', 3)]


class Template:
    def __init__(self, fn):
        w = Writer()
        fn(w)
        self.count = w.count
        self.nif = '\n'.join(w.nif) + '\n'
        self.att = '\n'.join(w.att) + '\n'
        self.nasm = '\n'.join(w.nasm) + '\n'
        self.fasm = '\n'.join(w.fasm) + '\n'


TEMPLATES = {name: Template(fn) for name, fn in BLOCKS.items()}


# ---- procs ------------------------------------------------------------------------------

PROLOGUE_NIF = """(proc :p{k}.0
 (params (param :p.0 (rdi) (ptr Rec.0)) (param :n.0 (rsi) (i +64)))
 (result :r.0 (rax) (i +64))
 (clobber (rcx) (rdx) (rsi) (rdi) (r8) (r9) (r10) (r11))
 (body
  (push (rbx))
  (push (r12))
  (var :loc.0 (s) Rec.0)
  (var :t.0 (s) (i +64))
  (sub (rsp) (ssize))
  (var :q.0 (rbx) (ptr Rec.0) p.0)
  (var :acc.0 (r12) (i +64) n.0)
  (kill p.0 n.0)
"""
EPILOGUE_NIF = """  (mov (rax) acc.0)
  (kill q.0 acc.0)
  (add (rsp) (ssize))
  (pop (r12))
  (pop (rbx))
  (ret)))
"""
PROLOGUE_FLAT = [('push', 'rbx'), ('push', 'r12'), ('sub', 'rsp', SSIZE), ('mov', 'rbx', 'rdi'),
                 ('mov', 'r12', 'rsi')]
EPILOGUE_FLAT = [('mov', 'rax', 'r12'), ('add', 'rsp', SSIZE), ('pop', 'r12'), ('pop', 'rbx'), ('ret',)]
PROC_FIXED = len(PROLOGUE_FLAT) + len(EPILOGUE_FLAT)


def flat_lines(seq):
    w = Writer()
    for ins in seq:
        w.flat(ins[0], *[imm(a) if isinstance(a, int) else reg(a) for a in ins[1:]])
    return w


PRO, EPI = flat_lines(PROLOGUE_FLAT), flat_lines(EPILOGUE_FLAT)


def plan_procs(n, rnd):
    """Block lists of the procs, until the program has about n instructions."""
    names = [name for name, w in WEIGHTS for _ in range(w)]
    plans, total = [], 9  # the entry stub (4) and main.0 (5)
    while total < n:
        blocks = ['fill'] + [rnd.choice(names) for _ in range(rnd.randint(1, 29))]
        plans.append(blocks)
        total += PROC_FIXED + sum(TEMPLATES[b].count for b in blocks)
        total += TEMPLATES['call'].count  # its caller's call to it
    return plans


def block_params(rnd, labels):
    k = rnd.randrange(16)
    i = rnd.randrange(8)
    return {'k1': rnd.randrange(1, 100), 'k2': rnd.randrange(64), 'k3': rnd.randrange(1, 1000),
            'm': rnd.randrange(1, 127), 's': rnd.randrange(1, 8), 'g': k, 'g8': 8 * k,
            'r': rnd.randrange(16), 'i': i, 'i8p16': 16 + 8 * i,
            'L1': '.L%d' % labels, 'L2': '.L%d' % (labels + 1), 'L3': '.L%d' % (labels + 2),
            'L4': '.L%d' % (labels + 3)}


class Out:
    def __init__(self, outdir):
        self.files = {fmt: open(os.path.join(outdir, 'prog.' + ext), 'w')
                      for fmt, ext in (('nif', 'nif'), ('att', 's'), ('nasm', 'asm'), ('fasm', 'fasm'))}

    def write(self, fmt, text):
        self.files[fmt].write(text)

    def close(self):
        for f in self.files.values():
            f.close()


def write_proc(out, k, blocks, nprocs, rnd, labels):
    children = [c for c in (2 * k + 1, 2 * k + 2) if c < nprocs]
    body = list(blocks)
    for c in children:  # after the record is filled, anywhere
        body.insert(rnd.randint(1, len(body)), ('call', c))
    name = 'p%d' % k
    out.write('nif', PROLOGUE_NIF.format(k=k))
    for fmt, pro in (('att', PRO.att), ('nasm', PRO.nasm), ('fasm', PRO.fasm)):
        out.write(fmt, '%s:\n%s\n' % (name, '\n'.join(pro)))
    count = PROC_FIXED
    for b in body:
        child = None
        if isinstance(b, tuple):
            b, child = b
        t = TEMPLATES[b]
        params = block_params(rnd, labels)
        params['child'] = child
        labels += 4
        for fmt in ('nif', 'att', 'nasm', 'fasm'):
            out.write(fmt, getattr(t, fmt).format(**params))
        count += t.count
    out.write('nif', EPILOGUE_NIF)
    for fmt, epi in (('att', EPI.att), ('nasm', EPI.nasm), ('fasm', EPI.fasm)):
        out.write(fmt, '\n'.join(epi) + '\n')
    return count, labels


# ---- the program around the procs ---------------------------------------------------------

GTAB = list(range(3, 3 + 16 * 7, 7))
RTAB = 'NIFASMbenchmark!'

NIF_HEAD = """(.nif24)
(stmts
(type :Rec.0 (object (fld :a (i +64)) (fld :b (i +32)) (fld :c (i +32)) (fld :v (array (i +64) +8))))
(gvar :gtab.0 (array (i +64) +16) (cons %s))
(gvar :gcnt.0 (i +64))
(gvar :gacc.0 Rec.0)
(rodata :rtab.0 "%s")
(proc :main.0
 (result :r.0 (rax) (i +64))
 (clobber (rcx) (rdx) (rsi) (rdi) (r8) (r9) (r10) (r11))
 (body
  (call p0.0 (lea p.0 gacc.0) (mov n.0 +7) (mov (rax) r.0))
  (add (rax) (mem gcnt.0))
  (ret)))
""" % (' '.join('+%d' % v for v in GTAB), RTAB)

MAIN_FLAT = """_start:
\tcall main
\tmov rdi, rax
\tmov eax, 60
\tsyscall
main:
\tlea rdi, [gacc]
\tmov rsi, 7
\tcall p0
\tadd rax, qword [gcnt]
\tret
"""

ATT_HEAD = """\t.text
\t.globl _start
_start:
\tcall\tmain
\tmovq\t%rax, %rdi
\tmovl\t$60, %eax
\tsyscall
main:
\tleaq\tgacc(%rip), %rdi
\tmovq\t$7, %rsi
\tcall\tp0
\taddq\tgcnt(%rip), %rax
\tret
"""

ATT_DATA = """\t.section .rodata
rtab:\t.ascii "%s"
\t.data
\t.balign 8
gtab:\t.quad %s
\t.bss
\t.balign 8
gcnt:\t.zero 8
gacc:\t.zero 80
""" % (RTAB, ', '.join(map(str, GTAB)))

NASM_HEAD = "\tdefault rel\n\tsection .text\n\tglobal _start\n" + MAIN_FLAT.replace('[gacc]', '[rel gacc]').replace('[gcnt]', '[rel gcnt]')
NASM_DATA = """\tsection .rodata
rtab:\tdb "%s"
\tsection .data
\talign 8
gtab:\tdq %s
\tsection .bss
\talignb 8
gcnt:\tresq 1
gacc:\tresb 80
""" % (RTAB, ', '.join(map(str, GTAB)))

FASM_HEAD = "format ELF64 executable 3\nentry _start\nsegment readable executable\n" + MAIN_FLAT
FASM_DATA = """segment readable
rtab db "%s"
segment readable writeable
align 8
gtab dq %s
gcnt rq 1
gacc rb 80
""" % (RTAB, ', '.join(map(str, GTAB)))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = int(float(sys.argv[1]))
    outdir = sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    rnd = random.Random(7)
    plans = plan_procs(n, rnd)
    out = Out(outdir)
    out.write('nif', NIF_HEAD)
    out.write('att', ATT_HEAD)
    out.write('nasm', NASM_HEAD)
    out.write('fasm', FASM_HEAD)
    total, labels = 9, 0
    for k, blocks in enumerate(plans):
        count, labels = write_proc(out, k, blocks, len(plans), rnd, labels)
        total += count
    out.write('nif', ')\n')
    out.write('att', ATT_DATA)
    out.write('nasm', NASM_DATA)
    out.write('fasm', FASM_DATA)
    out.close()
    with open(os.path.join(outdir, 'prog.json'), 'w') as f:
        json.dump({'instructions': total, 'procs': len(plans)}, f)
        f.write('\n')


if __name__ == '__main__':
    main()
