#!/usr/bin/env python3
"""The planner's placement model in OR-Tools CP-SAT: the reference the benchmark compares against.

Strongest fair form: an integer count per (purpose, host); the exact k-largest survival rule
(k*t + sum s_d <= r - m, s_d >= n_d - t, s_d >= 0) per failure domain; conflicts as
"at most one of two purposes present on a host"; redundant capacity cuts; symmetry breaking
between truly identical hosts only. Prints one JSON object: status, objective, seconds.

Usage: cpsat.py SPEC [--time-limit S] [--threads N]
"""
import argparse, json, re, sys, time
import yaml
from ortools.sat.python import cp_model

BIN = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
DEC = {"KB": 10**3, "kB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}

def cores(v):
    s = str(v).strip()
    return round(float(s[:-1])) if s.endswith("m") else round(float(s) * 1000)

def mem(v):
    s = str(v).strip()
    m = re.fullmatch(r"([0-9.]+)\s*([A-Za-z]*)", s)
    num, unit = float(m.group(1)), m.group(2)
    if unit in ("", "B", "b"): f = 1
    elif unit in DEC: f = DEC[unit]
    else: f = BIN[unit[0].upper()]
    return int(num * f) // (1 << 20)  # MiB keeps the coefficients small

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("--time-limit", type=float, default=30)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    spec = yaml.safe_load(open(a.spec))
    started = time.monotonic()
    fail = spec.get("failures") or {}
    budget0 = {k: fail.get(k, d) for k, d in (("hosts", 1), ("racks", 0), ("zones", 0))}
    hosts = list(spec["hosts"].items())
    purposes = list(spec["purposes"].items())
    H = range(len(hosts))
    m = cp_model.CpModel()
    n, y, used = {}, {}, [m.NewBoolVar(f"u{h}") for h in H]
    hcpu = [cores(h["cpu"]) for _, h in hosts]
    hmem = [mem(h["memory"]) for _, h in hosts]
    ports = {}
    for p, (name, spec_p) in enumerate(purposes):
        r = spec_p["replicas"]
        ma = spec_p.get("min_available", 1)
        req = r // 2 + 1 if ma == "majority" else ma
        L = r - req
        survive = dict(budget0, **(spec_p.get("survive") or {}))
        pl = spec_p.get("placement") or {}
        labels, only = pl.get("labels", []), pl.get("hosts")
        cap = min(r, spec_p.get("max_per_host", r))
        if spec_p.get("ports"): cap = min(cap, 1)
        if any(survive.values()): cap = min(cap, max(L, 0))
        for h, (hn, hs) in enumerate(hosts):
            ok = all(l in (hs.get("labels") or []) for l in labels) and (only is None or hn in only)
            n[p, h] = m.NewIntVar(0, cap if ok else 0, f"n{p}_{h}")
            y[p, h] = m.NewBoolVar(f"y{p}_{h}")
            m.Add(n[p, h] <= cap * y[p, h])
            m.Add(n[p, h] >= y[p, h])
            m.AddImplication(y[p, h], used[h])
        m.Add(sum(n[p, h] for h in H) == r)
        for key, field in (("hosts", None), ("racks", "rack"), ("zones", "zone")):
            k = survive.get(key, 0)
            if k <= 0: continue
            groups = {}
            for h, (hn, hs) in enumerate(hosts):
                groups.setdefault(hn if field is None else hs.get(field, hn), []).append(h)
            t = m.NewIntVar(0, max(L, 0), f"t{p}{key}")
            slack = []
            for g, members in groups.items():
                s = m.NewIntVar(0, r, f"s{p}{key}{g}")
                m.Add(s >= sum(n[p, h] for h in members) - t)
                slack.append(s)
            m.Add(k * t + sum(slack) <= L)
        for port in spec_p.get("ports") or []:
            ports.setdefault(str(port).split(":")[0], []).append(p)
    avoid = set()
    for p, (name, sp) in enumerate(purposes):
        for other in (sp.get("placement") or {}).get("avoid", []):
            q = [x for x, _ in purposes].index(other)
            avoid.add((min(p, q), max(p, q)))
    for group in ports.values():
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                avoid.add((group[i], group[j]))
    for p, q in sorted(avoid):
        for h in H: m.Add(y[p, h] + y[q, h] <= 1)
    pc = [cores(sp["cpu"]) for _, sp in purposes]
    pm = [mem(sp["memory"]) for _, sp in purposes]
    for h in H:
        m.Add(sum(pc[p] * n[p, h] for p in range(len(purposes))) <= hcpu[h] * used[h])
        m.Add(sum(pm[p] * n[p, h] for p in range(len(purposes))) <= hmem[h] * used[h])
    # Redundant capacity cuts: the used hosts hold the whole demand.
    totc = sum(pc[p] * sp["replicas"] for p, (_, sp) in enumerate(purposes))
    totm = sum(pm[p] * sp["replicas"] for p, (_, sp) in enumerate(purposes))
    m.Add(sum(hcpu[h] * used[h] for h in H) >= totc)
    m.Add(sum(hmem[h] * used[h] for h in H) >= totm)
    # Symmetry: truly identical hosts (same size, domains, labels, not named in any host list) fill in order.
    named = {x for _, sp in purposes for x in ((sp.get("placement") or {}).get("hosts") or [])}
    sig = {}
    for h, (hn, hs) in enumerate(hosts):
        if hn in named: continue
        key = (hcpu[h], hmem[h], hs.get("zone"), hs.get("rack"), tuple(sorted(hs.get("labels") or [])))
        if key in sig: m.Add(used[sig[key]] >= used[h])
        sig[key] = h
    strategy = spec.get("strategy", "spread")
    if strategy == "binpack":
        m.Minimize(sum(used))
    else:
        scale = 10000
        peak = m.NewIntVar(0, scale, "peak")
        for h in H:
            m.Add(scale * sum(pc[p] * n[p, h] for p in range(len(purposes))) <= peak * hcpu[h])
            m.Add(scale * sum(pm[p] * n[p, h] for p in range(len(purposes))) <= peak * hmem[h])
        m.Minimize(peak)
    built = time.monotonic() - started
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = a.time_limit
    solver.parameters.num_workers = a.threads
    status = solver.Solve(m)
    name = solver.StatusName(status).lower()
    out = {"status": name, "seconds": round(time.monotonic() - started, 3), "build_seconds": round(built, 3)}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        v = solver.ObjectiveValue()
        out["objective"] = int(v) if strategy == "binpack" else v / 10000
        out["bound"] = solver.BestObjectiveBound() if strategy == "binpack" else solver.BestObjectiveBound() / 10000
    print(json.dumps(out))

if __name__ == "__main__":
    main()
