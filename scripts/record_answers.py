"""Record (or check) the pins of every answer the API gives over the fixed buckets (`devtools.answers`).

    uv run python scripts/record_answers.py                      # write tests/api/answers/*.json
    uv run python scripts/record_answers.py --check              # compare with them, write nothing
    uv run python scripts/record_answers.py --compare-without "hourly:wape_24h,mape_24h;status:age_seconds"
    uv run python scripts/record_answers.py --bodies /tmp/base   # also dump every body, for a diff

Re-record on the commit before a change when `uv.lock` changes (a library may write other bytes for the
same data), and after a change only once the change is meant to alter answers. `--compare-without`
is for additive changes: it checks that every pinned body, with the named new fields (JSON keys at any
depth, table columns) taken out, is byte for byte what was pinned, and only then writes the new pins.
Fields are given in groups separated by `;`, each `route part:field,field`: a group's fields are taken
out only of the answers whose request contains the route part (none: of every answer).
"""

import argparse
import sys
import tempfile
from pathlib import Path

from devtools.answers import (
    ANSWERS,
    BUCKETS,
    differences,
    load,
    new_fields_by_route,
    old_bodies_changed,
    pins_file,
    record,
    save,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--buckets", default=",".join(BUCKETS), help="comma-separated names (default: all)")
    parser.add_argument("--check", action="store_true", help="compare with the pins; write nothing")
    parser.add_argument("--compare-without", default="", help="new fields, by route (see above)")
    parser.add_argument("--bodies", type=Path, help="also write every normalised body under this folder")
    parser.add_argument("--out", type=Path, default=ANSWERS, help="where the pins live")
    arguments = parser.parse_args()
    new_fields = new_fields_by_route(arguments.compare_without)
    failed = False
    for bucket in arguments.buckets.split(","):
        with tempfile.TemporaryDirectory(prefix=f"answers-{bucket}-") as scratch:
            answers = record(bucket, Path(scratch))
        if arguments.bodies:
            for position, (name, answer) in enumerate(answers.items()):
                target = arguments.bodies / bucket / f"{position:04d}.txt"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(f"{name}\n{answer.status} {answer.headers}\n".encode() + answer.body)
        if arguments.check or new_fields:
            pinned = load(bucket, arguments.out)
            changed = old_bodies_changed(pinned, answers, new_fields) if new_fields else differences(pinned, answers)
            print(f"{bucket}: {len(answers)} answers, {len(changed)} changed")
            for line in changed[:40]:
                print(f"  {line}")
            if changed:
                failed = True
                continue
        if not arguments.check:
            print(f"{bucket}: {len(answers)} answers written to {save(bucket, answers, arguments.out)}")
    if failed:
        print(f"some answers changed: pins in {pins_file('<bucket>', arguments.out).parent} left as they were")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
