#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""LAVA's side of ./kq lava (harness/lava.sh), with LAVA's own code.

  lava.py validate JOB.yaml...        LAVA's job schema (lava-common)
  lava.py device TEMPLATE_DIR JOB.yaml OUT.yaml device_type=T [KEY=VALUE...]
                                      a device dictionary: T's device-type
                                      template of LAVA's (jinja2), with
                                      these variables set, rendered with
                                      the job's context as lava-server
                                      does for a job
  lava.py results OUTPUT.yaml         the test results of a lava-run log,
                                      as "name<TAB>result" lines

Exit status: 0 done, 1 a job rejected / no results, 2 usage.
"""
import sys


def validate(paths):
    import yaml
    from lava_common.schemas import validate as lava_validate
    from voluptuous import Invalid

    bad = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                lava_validate(yaml.safe_load(f), strict=True)
        except (Invalid, yaml.YAMLError, OSError) as e:
            print(f"kq: error: lava: {path}: rejected by LAVA's job schema: {e}",
                  file=sys.stderr)
            bad += 1
    return 1 if bad else 0


def device(templates, job, out, pairs):
    import jinja2
    import yaml

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates),
                             autoescape=False, trim_blocks=True)
    ctx = dict(p.split("=", 1) for p in pairs)
    base = ctx.pop("device_type")
    text = "{%% extends '%s.jinja2' %%}\n" % base
    for k, v in ctx.items():
        text += "{%% set %s = %r %%}\n" % (k, v)
    with open(job, encoding="utf-8") as f:
        job_ctx = yaml.safe_load(f).get("context") or {}
    with open(out, "w", encoding="utf-8") as f:
        f.write(env.from_string(text).render(**job_ctx))
    return 0


def results(path):
    import json

    n = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    for line in lines:
        # lava-run logs one entry a line: {"dt": ..., "lvl": ..., "msg": ...}
        try:
            entry = json.loads(line.lstrip("- "))
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("lvl") != "results":
            continue
        msg = entry.get("msg") or {}
        if msg.get("definition") == "lava":
            continue
        name = (msg.get("extra") or {}).get("test_case_id", msg.get("case"))
        print(f"{name}\t{msg.get('result')}")
        n += 1
    return 0 if n else 1


def main(argv):
    if len(argv) >= 2 and argv[0] == "validate":
        return validate(argv[1:])
    if len(argv) >= 5 and argv[0] == "device":
        return device(argv[1], argv[2], argv[3], argv[4:])
    if len(argv) == 2 and argv[0] == "results":
        return results(argv[1])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
