#!/usr/bin/env python3
"""Which mutants of src/sim and src/model the sharded cargo-mutants runs of
docs/testing.md have tested, counted once each. Run from the repository
root (needs cargo-mutants; lists mutants only, builds nothing):

    python3 .ci/mutants_coverage.py            # summary, seconds
    python3 .ci/mutants_coverage.py --untested # also name each untested mutant
    python3 .ci/mutants_coverage.py --regex K  # only: shard K's untested ones,
                                               # as `cargo mutants -F` regexes

A run with `--regex K`'s lines as `-F` filters tests only the mutants of
shard K that no run has (docs/testing.md, tenth run); add it to RUNS as
(K, commit, "untested only"): the shard's other mutants were tested before,
so all of the shard counts as tested from then on.

Why: a run samples with `--shard K/16 --sharding round-robin`, i.e. the
mutants whose index in the listing is K mod 16. The listing grows when code
is added, so the same K at a later commit is a shifted set that may repeat
mutants an earlier shard tested (shards 5 and 6 repeated 57 of shard 2's and
shard 3's 79). Membership is reconstructed here from `cargo mutants --list
--json` at each run's commit, and a mutant is named by its file, function,
genre and changed lines, not by its line number, which moves.
"""
import json, os, subprocess, sys, tempfile
from collections import Counter

# (shard, commit it ran on[, "untested only" when run with `--regex K`]), in
# the order they ran; see docs/testing.md.
RUNS = [
    (0, "859fcbe"), (1, "7ef785d"), (2, "c003151"), (3, "c003151"),
    (4, "0622abc"), (5, "0622abc"), (6, "0622abc"), (7, "0622abc"), (8, "0622abc"),
    (10, "5c3db37"), (11, "5c3db37"), (12, "5c3db37"),
    (8, "4c8bc12"), (9, "4c8bc12"), (10, "4c8bc12"),
    (7, "0ec20af"),
    # From here on, only the shard's untested mutants (`--regex K`).
    (2, "0ec20af", "untested only"), (1, "0ec20af", "untested only"),
    (3, "0ec20af", "untested only"), (0, "0ec20af", "untested only"),
    (6, "0ec20af", "untested only"), (13, "0ec20af", "untested only"),
    (4, "37c0691", "untested only"), (14, "37c0691", "untested only"),
    (11, "37c0691", "untested only"), (12, "37c0691", "untested only"),
    (15, "37c0691", "untested only"),
]
FILTERS = ["-f", "src/sim.rs", "-f", "src/sim/*.rs", "-f", "src/sim/**/*.rs",
           "-f", "src/model.rs", "-f", "src/model/*.rs", "-f", "src/model/**/*.rs"]


def listing(tree):
    out = subprocess.run(["cargo", "mutants", "--no-config", "--list", "--json", *FILTERS],
                         cwd=tree, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def ident(m):
    # After the two header lines, the removed and added lines, sign kept.
    changed = tuple(x[0] + x[1:].strip() for x in m["diff"].split("\n")[2:]
                    if x[:1] in ("+", "-"))
    return (m["file"], (m.get("function") or {}).get("function_name"), m["genre"], changed)


def idents(mutants):
    """Each mutant's identity, with its rank among identical ones (the same
    change to the same code twice in one function) to tell those apart."""
    count = Counter()
    out = []
    for m in mutants:
        i = ident(m)
        out.append((i, count[i]))
        count[i] += 1
    return out


def listing_at(commit, cache):
    if commit not in cache:
        with tempfile.TemporaryDirectory() as d:
            tree = os.path.join(d, "tree")
            subprocess.run(["git", "worktree", "add", "-q", "--detach", tree, commit], check=True)
            try:
                cache[commit] = listing(tree)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", tree], check=True)
    return cache[commit]


# What Rust's regex crate treats as syntax (as its `regex::escape` does).
REGEX_META = set("\\.+*?()|[]{}^$#&-~")


def anchored(name):
    """A regex matching exactly the mutant `name`."""
    return "^" + "".join("\\" + c if c in REGEX_META else c for c in name) + "$"


def main():
    regex_of = int(sys.argv[sys.argv.index("--regex") + 1]) if "--regex" in sys.argv else None
    say = print if regex_of is None else (lambda *a, **k: None)
    cache, seen = {}, {}
    for k, commit, *only_new in RUNS:
        everything = idents(listing_at(commit, cache))
        ids = [x for i, x in enumerate(everything) if i % 16 == k]
        repeats = Counter(seen[i] for i in ids if i in seen)
        new = len(ids) - sum(repeats.values())
        if only_new:
            say(f"shard {k} on {commit}: its {new} untested mutants of {len(ids)}")
        else:
            say(f"shard {k} on {commit}: {len(ids)} mutants of {len(cache[commit])}, {new} new"
                + (f", repeating shard(s) {dict(sorted(repeats.items()))}" if repeats else ""))
        for i in ids:
            # A shard number can run again at a later commit: name both.
            seen.setdefault(i, f"{k} on {commit}")
    now = listing(".")
    now_ids = idents(now)
    untested = [m for m, i in zip(now, now_ids) if i not in seen]
    if regex_of is not None:
        for i, m in enumerate(now):
            if i % 16 == regex_of and now_ids[i] not in seen:
                print(anchored(m["name"]))
        return
    print(f"tested: {len(seen)} distinct mutants; the working tree lists {len(now)}, "
          f"{len(now) - len(untested)} of them tested, {len(untested)} untested")
    for k in range(16):
        fresh = sum(1 for i, m in enumerate(now) if i % 16 == k and now_ids[i] not in seen)
        print(f"  --shard {k}/16 now: {fresh} untested")
    if "--untested" in sys.argv:
        for m in untested:
            print(m["name"])


if __name__ == "__main__":
    main()
