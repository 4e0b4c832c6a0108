#!/usr/bin/env python3
"""Generates the Unicode tables of TicketsCore from Python's own `unicodedata`.

    scripts/unicode/generate-tables.py            # self-test, then write the Swift tables
    scripts/unicode/generate-tables.py --vectors  # self-test, then write the test fixtures
    scripts/unicode/generate-tables.py --check    # self-test only

Run it from anywhere; paths are relative to the repository root. One Unicode version
(`unicodedata.unidata_version`) governs every table: mappings, combining classes,
compositions and general categories, so the Swift code never mixes in the standard
library's own (possibly newer) Unicode data.

The rule the tables serve is the compatibility caseless match of Unicode §3.13, D146:

    key(X) = NFC(NFKD(toCasefold(NFKD(toCasefold(NFD(X))))))

(NFC of the D146 form, so keys are short). The Swift side evaluates it in one pass:

 1. every scalar c is replaced by D*(c), the fixpoint of NFKD∘casefold applied to NFD(c)
    (Hangul syllables are decomposed by the algorithm of §3.12 instead of a table);
 2. runs of non-starters are put in canonical order (stable sort on the combining class);
 3. U+0345 COMBINING GREEK YPOGEGRAMMENI is the one non-starter that case folding turns
    into a starter (U+03B9). D146 folds it after the canonical ordering of the stage it
    appears in, so D*(c) keeps it as a placeholder of class 240 (the largest class: it
    sorts last in its run) and the Swift side turns it into U+03B9 when that stage's run
    ends. A U+0345 already in NFD(c) ends its run at the next scalar whose NFD starts with
    a starter; one that only appears after the first NFKD (from U+037A) is written as the
    placeholder 0x110345 and ends its run at the next scalar whose D* starts with a
    starter. The two differ only for U+FF9E and U+FF9F (half-width sound marks: starters
    whose NFKD is a non-starter), listed in the table as "late marks";
 4. canonical composition (UAX #15) with the primary composites below, Hangul by the
    algorithm.

The self-test runs a model of exactly that algorithm over the tables written, and checks
it against Python for every scalar from U+0000 to U+10FFFF, for targeted sequences around
the special cases above and for random strings; it stops before writing if one differs.
"""

import hashlib
import os
import random
import sys
import unicodedata as ud

N = ud.normalize
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SWIFT_OUT = os.path.join(ROOT, "Sources", "TicketsCore", "Text", "UnicodeData.swift")
FIXTURES = os.path.join(ROOT, "Tests", "TicketsCoreTests", "Fixtures")
VECTORS_OUT = os.path.join(FIXTURES, "unicode-key-vectors.txt")
DIGESTS_OUT = os.path.join(FIXTURES, "unicode-key-scalar-digests.txt")

YPOGEGRAMMENI = 0x345
LATE_YPOGEGRAMMENI = 0x110345  # the placeholder for a U+0345 that appears after the first NFKD
IOTA = 0x3B9
S_BASE, L_BASE, V_BASE, T_BASE = 0xAC00, 0x1100, 0x1161, 0x11A7
L_COUNT, V_COUNT, T_COUNT = 19, 21, 28
S_COUNT = L_COUNT * V_COUNT * T_COUNT


def is_scalar(cp):
    return not 0xD800 <= cp <= 0xDFFF


def python_key(s):
    """The definition (D146, then NFC), evaluated by Python step by step."""
    return N("NFC", N("NFKD", N("NFKD", N("NFD", s).casefold()).casefold()))


def ccc(cp):
    if cp == LATE_YPOGEGRAMMENI:
        return 240
    return ud.combining(chr(cp))


def token_class(cp):
    """0: separates tokens; 1: letter or number (L*, N*); 2: mark (M*)."""
    g = ud.category(chr(cp))[0]
    return 1 if g in "LN" else 2 if g == "M" else 0


# ---------------------------------------------------------------------------------------
# Tables

def fold_keeping_ypogegrammeni(s):
    return "".join(ch if ch == "\u0345" else ch.casefold() for ch in s)


def full_mapping(cp):
    """D*(c) as scalars, with the late U+0345 written as the placeholder."""
    nfd = N("NFD", chr(cp))
    x = nfd
    while True:
        y = N("NFKD", fold_keeping_ypogegrammeni(x))
        if y == x:
            break
        x = y
    out = [ord(ch) for ch in x]
    early = nfd.count("\u0345")
    seen = 0
    for i, v in enumerate(out):
        if v == YPOGEGRAMMENI:
            seen += 1
            if seen > early:
                out[i] = LATE_YPOGEGRAMMENI
    return out


def build_tables():
    mappings = {}
    for cp in range(0x110000):
        if not is_scalar(cp) or S_BASE <= cp < S_BASE + S_COUNT:
            continue
        m = full_mapping(cp)
        if m != [cp]:
            mappings[cp] = m
    pairs = []
    for cp in range(0x110000):
        d = ud.decomposition(chr(cp)) if is_scalar(cp) else ""
        if d and not d.startswith("<"):
            parts = [int(x, 16) for x in d.split()]
            # Primary composites only: NFC recomposes the pair (not excluded, not a singleton,
            # not a non-starter decomposition).
            if len(parts) == 2 and N("NFC", chr(parts[0]) + chr(parts[1])) == chr(cp):
                assert ud.combining(chr(cp)) == 0, hex(cp)  # a composite is a starter
                pairs.append((parts[0], parts[1], cp))
    runs = []  # (first scalar, value) where value = ccc << 2 | token class
    for cp in range(0x110000):
        v = (ccc(cp) << 2 | token_class(cp)) if is_scalar(cp) else 0
        if not runs or runs[-1][1] != v:
            runs.append((cp, v))
    late = []
    for cp in range(0x110000):
        if not is_scalar(cp):
            continue
        nfd_starts = ud.combining(N("NFD", chr(cp))[0]) == 0
        m = mappings.get(cp, [cp])
        if nfd_starts and ccc(m[0]) != 0:
            late.append(cp)
    return mappings, pairs, runs, late


def check_assumptions(mappings):
    """What the one-pass algorithm relies on; a new Unicode version may break it."""
    for cp in range(0x110000):
        if not is_scalar(cp) or ud.combining(chr(cp)) == 0:
            continue
        # A non-starter keeps its class through case folding and NFKD, except U+0345.
        out = N("NFKD", N("NFD", chr(cp)).casefold())
        if cp != YPOGEGRAMMENI:
            assert all(ud.combining(ch) == ud.combining(chr(cp)) for ch in out), hex(cp)
        assert ud.combining(chr(cp)) < 240 or cp == YPOGEGRAMMENI, hex(cp)
    for cp, m in mappings.items():
        assert m.count(LATE_YPOGEGRAMMENI) == 0 or cp == 0x37A, hex(cp)
        # A placeholder is in the last run of its mapping: it is settled before the next
        # scalar, never stranded behind a starter of the same mapping.
        placeholders = [i for i, v in enumerate(m) if v in (YPOGEGRAMMENI, LATE_YPOGEGRAMMENI)]
        assert all(ccc(v) != 0 for v in m[placeholders[0]:]) if placeholders else True, hex(cp)


# ---------------------------------------------------------------------------------------
# A model of the Swift algorithm, over the tables only

class Model:
    """`shortcut` names a simplification that is NOT exact, used only to find the test
    strings that tell it apart: "fold-early" folds U+0345 inside D*(c) (no placeholder),
    "no-late" ignores the late marks."""

    def __init__(self, mappings, pairs, late, shortcut=None):
        self.mappings = mappings
        self.compose_pairs = {(a, b): c for a, b, c in pairs}
        self.late = set(late) if shortcut != "no-late" else set()
        if shortcut == "fold-early":
            self.mappings = {k: [IOTA if v in (YPOGEGRAMMENI, LATE_YPOGEGRAMMENI) else v for v in m]
                             for k, m in mappings.items()}
            self.mappings[YPOGEGRAMMENI] = [IOTA]

    def expand(self, cp):
        if S_BASE <= cp < S_BASE + S_COUNT:
            s = cp - S_BASE
            out = [L_BASE + s // (V_COUNT * T_COUNT), V_BASE + s % (V_COUNT * T_COUNT) // T_COUNT]
            if s % T_COUNT:
                out.append(T_BASE + s % T_COUNT)
            return out
        return self.mappings.get(cp, [cp])

    @staticmethod
    def settle(buf, early_only):
        """Turns the placeholders of the current run into U+03B9 when its stage ends: all of
        them, or with `early_only` only if the run holds a U+0345 of NFD(c) (its U+03B9
        then also ends the later stage's run of the placeholders before it: in a run they
        all come first, as a late one follows a starter of the same D*)."""
        i = len(buf) - 1
        while i >= 0 and ccc(buf[i]) != 0:
            i -= 1
        run = range(i + 1, len(buf))
        if early_only and YPOGEGRAMMENI not in (buf[j] for j in run):
            return
        for j in run:
            if buf[j] in (YPOGEGRAMMENI, LATE_YPOGEGRAMMENI):
                buf[j] = IOTA

    def decompose(self, s):
        buf = []
        for ch in s:
            cp = ord(ch)
            m = self.expand(cp)
            if ccc(m[0]) == 0:
                self.settle(buf, early_only=False)
            elif cp in self.late:
                self.settle(buf, early_only=True)
            for v in m:
                c = ccc(v)
                buf.append(v)
                if c != 0:  # insertion into the run: stable, after every class <= c
                    i = len(buf) - 1
                    while i > 0 and ccc(buf[i - 1]) > c:
                        buf[i - 1], buf[i] = buf[i], buf[i - 1]
                        i -= 1
        self.settle(buf, early_only=False)
        return buf

    def pair(self, a, b):
        if L_BASE <= a < L_BASE + L_COUNT and V_BASE <= b < V_BASE + V_COUNT:
            return S_BASE + ((a - L_BASE) * V_COUNT + (b - V_BASE)) * T_COUNT
        if (S_BASE <= a < S_BASE + S_COUNT and (a - S_BASE) % T_COUNT == 0
                and T_BASE < b < T_BASE + T_COUNT):
            return a + (b - T_BASE)
        return self.compose_pairs.get((a, b))

    def compose(self, buf):
        """UAX #15 canonical composition, as in the Unicode sample code."""
        out = []
        starter = -1
        last = 0
        for v in buf:
            c = ccc(v)
            if starter >= 0 and (last == 0 and starter == len(out) - 1 or 0 < last < c):
                composite = self.pair(out[starter], v)
                if composite is not None:
                    out[starter] = composite
                    continue
            if c == 0:
                starter = len(out)
            last = c
            out.append(v)
        return out

    def key(self, s):
        return "".join(chr(v) for v in self.compose(self.decompose(s)))


def random_strings(seed, count):
    """Strings mixing scripts, marks of many classes, compatibility characters and Hangul."""
    rng = random.Random(seed)
    pools = [
        (6, [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0x30, 0x3A), 0x40, 0x2E, 0x20, 0x2D]),
        (3, [*range(0xC0, 0x250)]),
        (6, [*range(0x300, 0x370), 0x591, 0x5B0, 0x5BC, 0x64B, 0x651, 0x670, 0x93C, 0x94D,
             0xE38, 0xE48, 0xF71, 0xF72, 0xF74, 0xF80, 0x1DC0, 0x1DCE, 0x20D0, 0x20E3, 0x302A,
             0x302E, 0x3099, 0x309A, 0xFE20, 0x1D165, 0x1D16D, 0x345, 0x345, 0x344, 0x340]),
        (3, [*range(0x370, 0x400), *range(0x1F00, 0x2000)]),
        (2, [*range(0x400, 0x530), *range(0x531, 0x590), *range(0x13A0, 0x13F6), *range(0xAB70, 0xABC0)]),
        (3, [*range(0xFB00, 0xFB07), *range(0xFF01, 0xFFEF), *range(0x2460, 0x2500),
             *range(0x3200, 0x3400), *range(0x1D400, 0x1D800), *range(0x2150, 0x2190),
             *range(0xA0, 0xC0), *range(0xFB13, 0xFB18), *range(0xFB1D, 0xFB50), *range(0xFE70, 0xFF00),
             0x37A, 0x37A, 0x1FBE, 0xE33, 0xEB3, 0xF73, 0xF75, 0xF77, 0xF79, 0xF81, 0xFDFA, 0xFF9E,
             0xFF9F, 0xFF9E, 0x212A, 0x212B, 0x2126, 0x130, 0x131, 0xDF, 0x1E9E, 0x3C2, 0x1E9B,
             0x149, 0x1F0, 0x390, 0x3D0, 0x3F4, 0x2F00, 0x2FD5, 0xF900, 0xFA6D, 0x2F800]),
        (3, [*range(0xAC00, 0xAC00 + 200), *range(0xD700, 0xD7A4), *range(0x1100, 0x1200),
             *range(0x3131, 0x318F), *range(0xFFA0, 0xFFDD), *range(0x3040, 0x3100), *range(0xFF61, 0xFFA0)]),
        (2, [*range(0x4E00, 0x4E80), *range(0xE00, 0xE80), *range(0x900, 0x980), *range(0x600, 0x700)]),
        (1, None),  # any scalar
    ]
    weights = [w for w, _ in pools]
    out = []
    for _ in range(count):
        s = []
        for _ in range(rng.randint(1, 8)):
            _, pool = rng.choices(pools, weights)[0]
            if pool is None:
                cp = rng.randrange(0x110000)
                while not is_scalar(cp):
                    cp = rng.randrange(0x110000)
            else:
                cp = rng.choice(pool)
            s.append(chr(cp))
        out.append("".join(s))
    return out


def edge_samples():
    """Every order of the special cases, with marks of several classes around them."""
    special = ["a", "\u03b1", " ", "\u0345", "\u037a", "\uff9e", "\uff9f", "\u1fb3", "\u1f80", "\u1fbc",
               "\u0301", "\u0316", "\u0327", "\u3099", "\u05b0", "\u0e48", "\u0344", "\u0f73", "\uac00", "\u1161"]
    samples = [a + b + c for a in special for b in special for c in special]
    few = ["\u03b1", " ", "\u0345", "\u037a", "\uff9e", "\u1fb3", "\u0301", "\u0316", "\u3099", "\u0f73"]
    samples += [a + b + c + d for a in few for b in few for c in few for d in few]
    marks = [chr(cp) for cp in range(0x110000) if is_scalar(cp) and ud.combining(chr(cp))]
    for lead in ["\u0345", "\u037a", "\uff9e", "\u1fb3"]:
        for m in marks:
            samples += ["\u03b1" + lead + m, "\u03b1" + m + lead, "\u03b1" + m + lead + m]
    return samples


def self_test(model, mappings):
    check_assumptions(mappings)
    failures = 0
    for cp in range(0x110000):
        if is_scalar(cp) and model.key(chr(cp)) != python_key(chr(cp)):
            failures += 1
            if failures < 10:
                print(f"scalar U+{cp:04X}: model {model.key(chr(cp))!r} python {python_key(chr(cp))!r}")
    samples = edge_samples() + random_strings(1, 50000)
    for s in samples:
        want = python_key(s)
        if model.key(s) != want:
            failures += 1
            if failures < 20:
                print(f"{[hex(ord(c)) for c in s]}: model {[hex(ord(c)) for c in model.key(s)]} "
                      f"python {[hex(ord(c)) for c in want]}")
        # One person is one key: the key of a key is itself.
        assert python_key(want) == want, s
    if failures:
        sys.exit(f"self-test: {failures} differences, nothing written")
    print(f"self-test: {0x110000 - 0x800} scalars and {len(samples)} strings agree with Python "
          f"(Unicode {ud.unidata_version})")


# ---------------------------------------------------------------------------------------
# Packing: a stream of numbers, each written big-endian in 5-bit digits. A digit that is
# followed by more digits is ASCII 0x3C + d ('<'...'['), the last digit is 0x5D + d
# (']'...'|'), so no number needs a separator and the text holds no quote or backslash.

def pack(numbers):
    out = []
    for n in numbers:
        assert n >= 0
        digits = []
        while True:
            digits.append(n & 31)
            n >>= 5
            if n == 0:
                break
        digits.reverse()
        out.extend(chr(0x3C + d) for d in digits[:-1])
        out.append(chr(0x5D + digits[-1]))
    return "".join(out)


def zigzag(n):
    return 2 * n if n >= 0 else -2 * n - 1


def pack_tables(mappings, pairs, runs, late):
    nums = []
    # 1. Runs over U+0000...U+10FFFF: length, then ccc << 2 | token class.
    nums.append(len(runs))
    for i, (start, value) in enumerate(runs):
        end = runs[i + 1][0] if i + 1 < len(runs) else 0x110000
        nums += [end - start, value]
    # 2. Mappings: the number of records, of mappings and of scalars in all of them; then
    #    records: gap from the previous source, target count, repeat - 1, the
    #    targets (each a zigzag delta from the one before, the first from the source) and,
    #    if repeated, the delta per element between consecutive sources' targets.
    keys = sorted(mappings)
    records = []
    i = 0
    while i < len(keys):
        k, v = keys[i], mappings[keys[i]]
        j = i + 1
        step = None
        if j < len(keys) and keys[j] == k + 1 and len(mappings[keys[j]]) == len(v):
            step = [a - b for a, b in zip(mappings[keys[j]], v)]
            while (j < len(keys) and keys[j] == keys[j - 1] + 1 and len(mappings[keys[j]]) == len(v)
                   and [a - b for a, b in zip(mappings[keys[j]], mappings[keys[j - 1]])] == step):
                j += 1
        records.append((k, v, j - i, step))
        i = j
    nums += [len(records), len(mappings), sum(len(m) for m in mappings.values())]
    previous = -1
    for k, v, repeat, step in records:
        nums += [k - previous - 1, len(v), repeat - 1]
        base = k
        for t in v:
            nums.append(zigzag(t - base))
            base = t
        if repeat > 1:
            nums += [zigzag(d) for d in step]
        previous = k + repeat - 1
    # 3. Primary composites, sorted by (first, second) for a binary search: the gap from the
    #    previous first, the second (from the previous second if the first is the same),
    #    zigzag(composite - first).
    nums.append(len(pairs))
    previous_first, previous_second = 0, 0
    for a, b, c in sorted(pairs):
        gap = a - previous_first
        nums += [gap, b - previous_second if gap == 0 else b, zigzag(c - a)]
        previous_first, previous_second = a, b
    # 4. Late marks: gaps.
    nums.append(len(late))
    previous = -1
    for cp in late:
        nums.append(cp - previous - 1)
        previous = cp
    return pack(nums), len(records)


def write_swift(mappings, pairs, runs, late):
    packed, record_count = pack_tables(mappings, pairs, runs, late)
    width = 120
    lines = [packed[i:i + width] for i in range(0, len(packed), width)]
    version = ud.unidata_version
    text = f"""// GENERATED by scripts/unicode/generate-tables.py from Python {sys.version.split()[0]} unicodedata,
// Unicode {version}. Do not edit: change the script and run it again.
//
// {len(runs)} runs of (combining class, token class), {len(mappings)} full mappings D*(c) in
// {record_count} records, {len(pairs)} primary composites, {len(late)} late marks; the packing and the
// order of the sections are described in the script and read by UnicodeTables.swift.

/// The one Unicode version behind every text rule of TicketsCore (email identity keys,
/// search tokens): mappings, combining classes, compositions and general categories all
/// come from the same Unicode Character Database, never from the Swift standard library.
public enum UnicodeData {{
    /// The Unicode version of the tables, e.g. "14.0.0".
    public static let version = "{version}"

    /// {len(packed)} ASCII characters (newlines are skipped), decoded once on first use.
    static let packed: StaticString = #\"\"\"
{chr(10).join(lines)}
\"\"\"#
}}
"""
    os.makedirs(os.path.dirname(SWIFT_OUT), exist_ok=True)
    with open(SWIFT_OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(SWIFT_OUT, ROOT)}: {len(packed)} packed characters")


def hex_scalars(s):
    return " ".join(f"{ord(c):04X}" for c in s)


def write_vectors(mappings, pairs, late):
    os.makedirs(FIXTURES, exist_ok=True)
    # The edge cases: strings on which a simpler algorithm than the one of the Swift code
    # would differ from Python, so the Swift tests catch such a simplification.
    rng = random.Random(2026)
    edges = []
    for shortcut in ("fold-early", "no-late"):
        model = Model(mappings, pairs, late, shortcut)
        found = sorted({s for s in edge_samples() if model.key(s) != python_key(s)})
        print(f"{len(found)} edge cases tell {shortcut} apart")
        edges += rng.sample(found, min(len(found), 150))
    with open(VECTORS_OUT, "w", encoding="ascii") as f:
        f.write(f"# Generated by scripts/unicode/generate-tables.py --vectors (seed 2026), Python "
                f"{sys.version.split()[0]}, Unicode {ud.unidata_version}.\n"
                "# input scalars<TAB>key scalars, in hex: key = NFC(NFKD(casefold(NFKD(casefold(NFD(input))))))\n"
                "# random strings\n")
        for s in random_strings(2026, 3000):
            f.write(f"{hex_scalars(s)}\t{hex_scalars(python_key(s))}\n")
        f.write("# edge cases: U+0345 and the late marks U+FF9E, U+FF9F among other marks\n")
        for s in edges:
            f.write(f"{hex_scalars(s)}\t{hex_scalars(python_key(s))}\n")
    # Every scalar alone, in blocks of 4096: SHA-256 over, for each scalar of the block
    # (surrogates skipped), the UTF-8 of its key followed by the byte 0xFF.
    with open(DIGESTS_OUT, "w", encoding="ascii") as f:
        f.write(f"# Generated by scripts/unicode/generate-tables.py --vectors, Python {sys.version.split()[0]}, "
                f"Unicode {ud.unidata_version}.\n"
                "# first scalar of a block of 4096<TAB>SHA-256 of the keys of its scalars, each as UTF-8\n"
                "# followed by the byte FF (surrogates skipped).\n")
        for block in range(0, 0x110000, 4096):
            h = hashlib.sha256()
            for cp in range(block, block + 4096):
                if is_scalar(cp):
                    h.update(python_key(chr(cp)).encode("utf-8") + b"\xff")
            f.write(f"{block:06X}\t{h.hexdigest()}\n")
    print(f"wrote {os.path.relpath(VECTORS_OUT, ROOT)} and {os.path.relpath(DIGESTS_OUT, ROOT)}")


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--swift"
    if mode not in ("--swift", "--vectors", "--check"):
        sys.exit(__doc__)
    mappings, pairs, runs, late = build_tables()
    self_test(Model(mappings, pairs, late), mappings)
    if mode == "--swift":
        write_swift(mappings, pairs, runs, late)
    elif mode == "--vectors":
        write_vectors(mappings, pairs, late)


if __name__ == "__main__":
    main()
