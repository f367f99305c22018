/**
 * train.py's port of engine/random/seeded-random.ts: mulberry32, deriveSeed and the Fisher–Yates
 * permutation, bit for bit (JavaScript's 32-bit integer arithmetic written as Python ints taken
 * mod 2³²), so that the exported script holds out the same validation images, trains on the
 * same subset and visits it in the same order as the workbench. Checked against the TypeScript
 * in test/unit/core/recipe-export.
 */
export const seededRandomPython = String.raw`
# ── Seeded randomness: the workbench's generators, bit for bit ─────────────────────────────────
MASK32 = 0xFFFFFFFF


def imul(a, b):
    """Math.imul: the low 32 bits of a·b (kept unsigned here; xor/or/shifts agree mod 2³²)."""
    return (a * b) & MASK32


def mulberry32(seed):
    """Uniform floats in [0, 1) from a 32-bit seed (engine/random/seeded-random.ts)."""
    state = seed & MASK32

    def draw():
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK32
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & MASK32
        return ((t ^ (t >> 14)) & MASK32) / 4294967296

    return draw


def derive_seed(seed, *parts):
    """A non-negative 31-bit sub-seed of seed and labels (numbers or ASCII strings)."""
    h = (int(seed) & MASK32) ^ 0x9E3779B9

    def mix(h, value):
        h = imul(h ^ (int(value) & MASK32), 0x85EBCA6B)
        h ^= h >> 13
        h = imul(h, 0xC2B2AE35)
        return h ^ (h >> 16)

    h = mix(h, int(seed) // 4294967296)
    for part in parts:
        if isinstance(part, str):
            for char in part:
                h = mix(h, ord(char))
        else:
            h = mix(h, part)
    return h & 0x7FFFFFFF


def seeded_permutation(indices, seed):
    """Fisher–Yates shuffle of the given indices with mulberry32(seed), in a new int64 array."""
    out = [int(index) for index in indices]  # a list: element swaps on it are fast
    random = mulberry32(seed)
    for i in range(len(out) - 1, 0, -1):
        j = int(random() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return np.array(out, dtype=np.int64)
`;
