#!/usr/bin/env python3
"""Runs planner and the CP-SAT reference on one spec and prints one markdown table row.

planner: `planner check FILE --format json --time-limit T`, run --runs times; the wall time of the
whole process (median), its peak resident memory (/usr/bin/time %M, median), and the objective,
lower bound and status of the JSON. CP-SAT: bench/reference/cpsat.py with the same time limit for
the search, --threads N, --build-limit B (reading the spec and building the model), once, killed
after B + T + grace seconds. Times are wall seconds of the whole process (start-up, parsing,
model building and search) for both.

Usage: measure.py FILE --planner BIN --time-limit T [--runs R] [--threads 2] [--build-limit B]
                   [--no-cpsat] [--label TEXT] [--json-log FILE]
The table header: measure.py --header
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["hosts", "replicas", "strategy", "seed", "planner s", "planner MB", "planner objective",
           "planner bound", "gap %", "planner status", "CP-SAT s (model)", "CP-SAT objective", "CP-SAT status",
           "time ratio", "objective ratio"]
PLACEMENT_CODES = {"cannot-survive", "no-eligible-host", "insufficient-capacity", "insufficient-spread",
                   "conflicting-purposes", "no-placement"}


def timed(cmd, timeout=None):
    """(rc, stdout, stderr, wall seconds, peak MB or None); rc None when killed by the timeout."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%M", "-o", tf.name] + cmd
        start = time.monotonic()
        try:
            p = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = None, (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), \
                (e.stderr or b"").decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        wall = time.monotonic() - start
        peak = None
        try:
            lines = [l for l in open(tf.name).read().split("\n") if l.strip().isdigit()]
            peak = int(lines[-1]) / 1024 if lines else None
        except OSError:
            pass
    return rc, out, err, wall, peak


def objective_value(obj):
    if not obj:
        return None
    return obj.get("hosts_used", obj.get("peak_utilisation"))


def planner_verdict(rc, data):
    """feasible / infeasible / unknown / error, and the status word for the table."""
    if rc is None:
        return "unknown", "killed"
    if data is None:
        return "error", f"exit {rc}, no JSON"
    solver = data.get("solver") or {}
    codes = [d["code"] for d in data.get("diagnostics", []) if d.get("severity") == "error"]
    if rc == 0:
        status = solver.get("status", "?")
        if solver.get("stopped_by"):
            status += f" ({solver['stopped_by']})"
        return "feasible", status
    if rc == 2:
        return "error", "input error: " + ",".join(codes)
    if "undecided" in codes:
        return "unknown", "undecided" + (f" ({solver.get('stopped_by')})" if solver.get("stopped_by") else "")
    if any(c in PLACEMENT_CODES for c in codes) or solver.get("status") == "infeasible":
        return "infeasible", "infeasible: " + ",".join(c for c in codes if c in PLACEMENT_CODES)
    return "error", f"exit {rc}: " + ",".join(codes)


def fmt(x, digits=4):
    if x is None:
        return "–"
    if isinstance(x, int):
        return str(x)
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else str(x)


def fmt_s(x):
    return "–" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def spec_facts(path):
    """hosts, replicas, strategy and seed from the generated header (cheap: no YAML parse)."""
    facts = {"hosts": "?", "replicas": "?", "strategy": "spread", "seed": "–"}
    with open(path) as f:
        for i, line in enumerate(f):
            if line.startswith("# seed "):
                parts = line.split()
                facts["seed"] = parts[2].rstrip(":")
                facts["hosts"] = parts[3]
                facts["replicas"] = parts[parts.index("replicas;") - 1] if "replicas;" in parts else "?"
            elif line.startswith("strategy:"):
                facts["strategy"] = line.split(":", 1)[1].strip()
            elif line.startswith("hosts:"):
                break
    if facts["hosts"] == "?" or facts["replicas"] == "?":
        import yaml
        spec = yaml.load(open(path), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        facts["hosts"] = str(len(spec["hosts"]))
        facts["replicas"] = str(sum(p["replicas"] for p in spec["purposes"].values()))
        facts["strategy"] = spec.get("strategy", "spread")
    return facts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?")
    ap.add_argument("--header", action="store_true")
    ap.add_argument("--planner")
    ap.add_argument("--time-limit", type=float, default=10)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build-limit", type=float)
    ap.add_argument("--no-cpsat", action="store_true")
    ap.add_argument("--label", help="text added to the seed column (e.g. the infeasible kind)")
    ap.add_argument("--json-log", help="append the raw measurements as one JSON line to this file")
    a = ap.parse_args()
    if a.header:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "|".join("---:" if c not in ("strategy", "seed", "planner status", "CP-SAT status", "CP-SAT s (model)") else "---"
                             for c in COLUMNS) + "|")
        return
    facts = spec_facts(a.file)
    T = a.time_limit

    # planner
    walls, peaks, data, rc = [], [], None, None
    for _ in range(a.runs):
        rc, out, err, wall, peak = timed([a.planner, "check", a.file, "--format", "json", "--time-limit", str(T)],
                                         timeout=T * 3 + 120)
        walls.append(wall)
        if peak is not None:
            peaks.append(peak)
        try:
            data = json.loads(out)
        except ValueError:
            data = None
        if wall >= T:  # stopped by the clock: another run measures the same limit again
            break
    verdict, pstatus = planner_verdict(rc, data)
    solver = (data or {}).get("solver") or {}
    pobj = objective_value(solver.get("objective")) if verdict == "feasible" else None
    pbound = objective_value(solver.get("lower_bound")) if solver.get("lower_bound") else None
    gap = None
    if pobj is not None and solver.get("status") == "optimal":
        gap = 0.0   # proven optimal (the JSON lower_bound stays the bound known before the search)
    elif pobj is not None and pbound is not None and pobj > 0:
        gap = 100.0 * (pobj - pbound) / pobj
    pwall = statistics.median(walls)

    # CP-SAT
    cwall = cobj = None
    cstatus, cverdict = "not run", "unknown"
    craw = None
    if not a.no_cpsat:
        B = a.build_limit if a.build_limit is not None else T
        cmd = [sys.executable, os.path.join(HERE, "reference", "cpsat.py"), a.file, "--time-limit", str(T),
               "--threads", str(a.threads), "--build-limit", str(B)]
        rc2, out2, err2, cwall, cpeak = timed(cmd, timeout=B + T + 60)
        try:
            craw = json.loads(out2.strip().split("\n")[-1])
        except (ValueError, IndexError):
            craw = None
        built = '"built"' in (err2 or "")
        if craw is None:
            if rc2 is None:
                cstatus = f"killed after {cwall:.0f} s" + ("" if built else f" (no model)")
            else:
                cstatus = f"crashed (exit {rc2}" + (", out of memory?" if rc2 in (-9, 137) else "") + ")"
        else:
            st = craw["status"]
            if st == "no-model":
                cstatus = f"no model in {B:g} s"
            elif st == "unknown":
                cstatus = f"no solution in {T:g} s"
            elif st == "error":
                cstatus = "error: " + craw.get("error", "")[:40]
            else:
                cstatus = st
            cverdict = {"optimal": "feasible", "feasible": "feasible", "infeasible": "infeasible"}.get(st, "unknown")
            cobj = craw.get("objective")
        if cpeak is not None:
            cstatus += f", {cpeak:.0f} MB"

    # CP-SAT's own seconds: reading the spec, building the model and searching, without the
    # interpreter and OR-Tools start-up (about 1.5 s here), which would flatter planner on small sizes.
    cinner = craw.get("seconds") if craw else None
    tratio = (pwall / cinner) if cinner and cverdict != "unknown" else None
    oratio = (pobj / cobj) if pobj is not None and cobj else None
    note = ""
    if verdict in ("feasible", "infeasible") and cverdict in ("feasible", "infeasible") and verdict != cverdict:
        note = " **DISAGREE**"
    seed = facts["seed"] + (f" {a.label}" if a.label else "")
    row = [facts["hosts"], facts["replicas"], facts["strategy"], seed, fmt_s(pwall),
           "–" if not peaks else f"{statistics.median(peaks):.0f}", fmt(pobj), fmt(pbound),
           "–" if gap is None else f"{gap:.1f}", pstatus + note,
           fmt_s(cwall) + ("" if cinner is None else f" ({fmt_s(cinner)})"), fmt(cobj), cstatus,
           "–" if tratio is None else f"{tratio:.2f}", "–" if oratio is None else f"{oratio:.3f}"]
    print("| " + " | ".join(row) + " |", flush=True)
    if a.json_log:
        with open(a.json_log, "a") as f:
            f.write(json.dumps({"file": a.file, "planner": {"walls": walls, "peaks_mb": peaks, "rc": rc,
                                "verdict": verdict, "status": pstatus, "solver": solver},
                                "cpsat": {"wall": cwall, "raw": craw, "verdict": cverdict, "status": cstatus},
                                "time_limit": T, "disagree": bool(note)}) + "\n")


if __name__ == "__main__":
    main()
