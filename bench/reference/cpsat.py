#!/usr/bin/env python3
"""The planner's placement model in OR-Tools CP-SAT: the reference the benchmark compares against.

Strongest fair form: an integer count per (purpose, eligible host) (a boolean when the purpose
may hold at most one replica a host); the exact k-largest survival rule
(k*t + sum s_d <= r - m, s_d >= n_d - t, s_d >= 0) per failure domain; conflicts (avoid, a
shared host port and protocol) as "at most one of two purposes present on a host"; redundant
capacity cuts; symmetry breaking between truly identical hosts only (same cpu, memory, zone,
rack and labels, named in no placement.hosts list): their cpu loads are ordered.

The rules are planner's (docs/spec.md, "Placement rules"): exact replicas, eligibility
(placement.labels and placement.hosts), cpu and memory capacity (memory exact in bytes, scaled
by the gcd of all sizes), one publication of a host port+protocol per host, avoid (symmetric),
max_per_host, and survival for hosts, racks and zones with the purpose's survive budget
(top-level failures overridden key by key). Balancers (`balancers:`) are placed as purposes, as
planner does: default 2 replicas, 500m, 256MiB, publishing each route's listen port.

Spread minimises the peak utilisation max(cpu used/cpu, memory used/memory) on a grid of 1e-4
(the model's objective is ceil(10^4 * peak)); the printed "objective" is the exact peak of the
solution found, rounded to 4 decimals as planner prints it; "bound" is the proven lower bound
(grid value minus one step, as the grid rounds up). Binpack minimises the hosts used.

Prints one JSON object: status (optimal|feasible|infeasible|unknown|no-model|invalid),
objective, bound, seconds (total wall, from start), build_seconds. With --build-limit, gives up
with status no-model when building the model takes longer than that many seconds.

Usage: cpsat.py SPEC [--time-limit S] [--threads N] [--build-limit S] [--placement]
"""
import argparse, json, math, re, sys, time
from decimal import Decimal
from fractions import Fraction

import yaml
from ortools.sat.python import cp_model

BIN = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
DEC = {"KB": 10**3, "kB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
MEM_UNITS = {"": 1, "B": 1, "b": 1, **DEC}
for _p, _f in BIN.items():
    for _u in (_p, _p.lower(), _p + "i", _p + "iB"):
        MEM_UNITS[_u] = _f
MEM_UNITS["m"] = MEM_UNITS["M"]; MEM_UNITS["k"] = MEM_UNITS["K"]


class BuildTimeout(Exception):
    pass


def millicores(v):
    s = str(v).strip()
    if s.endswith("m"):
        return int(s[:-1])
    q = Fraction(Decimal(s)) * 1000
    assert q.denominator == 1, f"cpu {s} is not whole millicores"
    return int(q)


def bytes_(v):
    s = str(v).strip()
    m = re.fullmatch(r"([0-9.]+)\s*([A-Za-z]*)", s)
    q = Fraction(Decimal(m.group(1))) * MEM_UNITS[m.group(2)]
    assert q.denominator == 1, f"memory {s} is not whole bytes"
    return int(q)


def port_key(v):
    """(host port, protocol): what must be unique on a host."""
    s = str(v).strip()
    proto = "tcp"
    if "/" in s:
        s, proto = s.split("/", 1)
    return (int(s.split(":")[0]), proto)


def load(path):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path) as f:
        return yaml.load(f, Loader=loader)


def purposes_of(spec):
    """Purposes in file order, then balancers placed as purposes."""
    out = [(name, dict(p or {})) for name, p in (spec.get("purposes") or {}).items()]
    for name, b in (spec.get("balancers") or {}).items():
        b = b or {}
        out.append((name, {
            "replicas": b.get("replicas", 2), "cpu": b.get("cpu", "500m"), "memory": b.get("memory", "256MiB"),
            "min_available": b.get("min_available", 1), "survive": b.get("survive"),
            "max_per_host": b.get("max_per_host"), "placement": b.get("placement"),
            "ports": [str(r["listen"]) for r in b.get("routes") or []],
        }))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("--time-limit", type=float, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build-limit", type=float, default=None,
                    help="give up (status no-model) when reading the spec and building the model takes longer")
    ap.add_argument("--placement", action="store_true", help="also print the placement found")
    a = ap.parse_args()
    started = time.monotonic()
    deadline = started + a.build_limit if a.build_limit else None

    def tick():
        if deadline and time.monotonic() > deadline:
            raise BuildTimeout()

    try:
        result = solve(a, started, tick)
    except BuildTimeout:
        result = {"status": "no-model", "seconds": round(time.monotonic() - started, 3)}
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError, AssertionError, yaml.YAMLError) as e:
        result = {"status": "error", "error": f"{type(e).__name__}: {e}"}   # a spec planner rejects (exit 2)
    print(json.dumps(result))


def solve(a, started, tick):
    spec = load(a.spec)
    tick()
    fail = spec.get("failures") or {}
    budget0 = {k: fail.get(k, d) for k, d in (("hosts", 1), ("racks", 0), ("zones", 0))}
    hosts = list(spec["hosts"].items())
    purposes = purposes_of(spec)
    H = range(len(hosts))
    P = range(len(purposes))
    hcpu = [millicores(h["cpu"]) for _, h in hosts]
    hmem_b = [bytes_(h["memory"]) for _, h in hosts]
    pc = [millicores(sp["cpu"]) for _, sp in purposes]
    pm_b = [bytes_(sp["memory"]) for _, sp in purposes]
    g = 0
    for x in hmem_b + pm_b:
        g = math.gcd(g, x)
    hmem = [x // g for x in hmem_b]   # exact: every size is a multiple of g
    pm = [x // g for x in pm_b]
    hlabels = [set(hs.get("labels") or []) for _, hs in hosts]
    hindex = {hn: h for h, (hn, _) in enumerate(hosts)}

    m = cp_model.CpModel()
    used = [m.NewBoolVar(f"u{h}") for h in H]
    n, y = {}, {}                  # n[p,h]: replicas (int or bool), y[p,h]: present (bool)
    on_host = [[] for _ in H]      # (p, n) per host
    ports, caps, eligible = {}, [], []
    for p, (name, sp) in enumerate(purposes):
        tick()
        r = sp["replicas"]
        ma = sp.get("min_available", 1)
        req = r // 2 + 1 if ma == "majority" else (ma if ma is not None else 1)
        L = r - req
        survive = dict(budget0, **(sp.get("survive") or {}))
        pl = sp.get("placement") or {}
        labels, only = pl.get("labels") or [], pl.get("hosts")
        cap = r
        if sp.get("max_per_host") is not None:
            cap = min(cap, sp["max_per_host"])
        if sp.get("ports"):
            cap = min(cap, 1)
        if any(survive.values()):  # every domain contains the host, so any k >= 1 caps a host at r - m
            cap = min(cap, max(L, 0))
        caps.append(cap)
        only_set = None if only is None else set(only)
        el = [h for h in H if all(l in hlabels[h] for l in labels) and (only_set is None or hosts[h][0] in only_set)]
        # A host too small for one replica is not eligible in practice; keeping it costs nothing to CP-SAT,
        # but dropping it keeps the model smaller: the capacity row would force n = 0 anyway.
        el = [h for h in el if pc[p] <= hcpu[h] and pm[p] <= hmem[h]] if cap > 0 else []
        eligible.append(el)
        for h in el:
            if cap == 1:
                v = m.NewBoolVar(f"n{p}_{h}")
                n[p, h] = y[p, h] = v
            else:
                v = m.NewIntVar(0, cap, f"n{p}_{h}")
                b = m.NewBoolVar(f"y{p}_{h}")
                m.Add(v <= cap * b)
                m.Add(v >= b)
                n[p, h], y[p, h] = v, b
            m.AddImplication(y[p, h], used[h])
            on_host[h].append((p, n[p, h]))
        m.Add(sum(n[p, h] for h in el) == r)
        for key, field in (("hosts", None), ("racks", "rack"), ("zones", "zone")):
            k = survive.get(key, 0)
            if k <= 0:
                continue
            if L < k:            # cannot-survive: the k fullest domains hold at least min(k, r) > r - m
                m.Add(m.NewIntVar(0, 0, f"false{p}{key}") >= 1)
                continue
            groups = {}
            for h in el:
                hs = hosts[h][1]
                groups.setdefault(("host", h) if field is None else ("dom", hs.get(field)) if hs.get(field) is not None
                                  else ("host", h), []).append(h)
            if field is None and k == 1:
                continue         # already the per-host cap r - m
            t = m.NewIntVar(0, max(L, 0), f"t{p}{key}")
            slack = []
            for gk, members in groups.items():
                total = sum(n[p, h] for h in members)
                ub = min(r, cap * len(members))
                s = m.NewIntVar(0, ub, f"s{p}{key}{gk}")
                m.Add(s >= total - t)
                slack.append(s)
                if k == 1:
                    m.Add(total <= L)  # redundant but tight: with k = 1 every domain holds at most r - m
            m.Add(k * t + sum(slack) <= L)
        for port in sp.get("ports") or []:
            ports.setdefault(port_key(port), []).append(p)
    tick()
    names = [x for x, _ in purposes]
    avoid = set()
    for p, (name, sp) in enumerate(purposes):
        for other in (sp.get("placement") or {}).get("avoid") or []:
            q = names.index(other)
            avoid.add((min(p, q), max(p, q)))
    for key in sorted(ports):
        group = sorted(set(ports[key]))
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                avoid.add((group[i], group[j]))
    for p, q in sorted(avoid):
        tick()
        common = set(eligible[q])
        for h in eligible[p]:
            if h in common:
                m.AddBoolOr([y[p, h].Not(), y[q, h].Not()])
    cpu_load, mem_load = [], []
    for h in H:
        tick()
        cl = sum(pc[p] * v for p, v in on_host[h])
        ml = sum(pm[p] * v for p, v in on_host[h])
        cpu_load.append(cl)
        mem_load.append(ml)
        if on_host[h]:
            m.Add(cl <= hcpu[h] * used[h])
            m.Add(ml <= hmem[h] * used[h])
        else:
            m.Add(used[h] == 0)
    # Redundant capacity cuts: the used hosts hold the whole demand.
    totc = sum(pc[p] * sp["replicas"] for p, (_, sp) in enumerate(purposes))
    totm = sum(pm[p] * sp["replicas"] for p, (_, sp) in enumerate(purposes))
    m.Add(sum(hcpu[h] * used[h] for h in H) >= totc)
    m.Add(sum(hmem[h] * used[h] for h in H) >= totm)
    # Symmetry: truly identical hosts (same size, domains, labels, not named in any host list) are
    # interchangeable in every rule, so their cpu loads may be taken in non-increasing order.
    named = {x for _, sp in purposes for x in ((sp.get("placement") or {}).get("hosts") or [])}
    last = {}
    for h, (hn, hs) in enumerate(hosts):
        if hn in named or not on_host[h]:
            continue
        key = (hcpu[h], hmem[h], hs.get("zone"), hs.get("rack"), tuple(sorted(hlabels[h])))
        if key in last:
            prev = last[key]
            m.Add(used[prev] >= used[h])
            m.Add(cpu_load[prev] >= cpu_load[h])
        last[key] = h
    strategy = spec.get("strategy", "spread")
    scale = 10000
    if strategy == "binpack":
        m.Minimize(sum(used))
    else:
        peak = m.NewIntVar(0, scale, "peak")
        for h in H:
            if on_host[h]:
                m.Add(scale * cpu_load[h] <= peak * hcpu[h])
                m.Add(scale * mem_load[h] <= peak * hmem[h])
        m.Minimize(peak)
    built = time.monotonic() - started
    tick()
    print(json.dumps({"built": round(built, 3)}), file=sys.stderr, flush=True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = a.time_limit
    solver.parameters.num_workers = a.threads
    status = solver.Solve(m)
    name = solver.StatusName(status).lower()
    if name == "model_invalid":
        name = "invalid"
    out = {"status": name, "seconds": round(time.monotonic() - started, 3), "build_seconds": round(built, 3)}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if strategy == "binpack":
            out["objective"] = int(round(solver.ObjectiveValue()))
            out["bound"] = int(math.ceil(solver.BestObjectiveBound() - 1e-9))
        else:
            exact = 0.0
            for h in H:
                c = sum(pc[p] * solver.Value(v) for p, v in on_host[h])
                me = sum(pm[p] * solver.Value(v) for p, v in on_host[h])
                exact = max(exact, c / hcpu[h], me / hmem[h])
            out["objective"] = math.floor(exact * 10000 + 0.5) / 10000   # half up, as planner rounds (round() goes to even)
            out["objective_grid"] = solver.ObjectiveValue() / scale
            out["bound"] = max(0.0, (math.ceil(solver.BestObjectiveBound() - 1e-9) - 1) / scale)
        if a.placement:
            out["placement"] = {names[p]: {hosts[h][0]: solver.Value(v) for h in eligible[p]
                                           if (v := n[p, h]) is not None and solver.Value(v) > 0} for p in P}
    return out


if __name__ == "__main__":
    main()
