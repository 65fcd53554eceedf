#!/usr/bin/env python3
"""Seeded topology generator for the solver-at-scale benchmark.

Writes one planner spec (YAML) with --hosts hosts and about --replicas-per-host * hosts
replicas: hosts of mixed sizes (4/8/16/32/64 cores, 2/4/8 GiB per core) in 3-4 zones and
several racks per zone, a few labels (ssd, public, gpu); purposes of mixed demand
(cpu 250m-8, memory 256MiB-32GiB), some publishing ports (a few pairs sharing one), some
needing labels, some avoiding each other, some with max_per_host, some majority purposes
that must survive a zone (or rack) failure. Total demand is scaled to a target share of
capacity (50-70 % by default), so instances are feasible but not trivial.

The output depends only on the arguments: the same seed and size give the same file, byte
for byte (only random.Random(seed) is used, and nothing iterates a set).

--infeasible KIND adds a deliberately unplaceable part to the (small) instance, so that the
harness can compare verdicts:
  zones     three majority sentinels that must survive a zone failure, pinned to hosts in two zones
  ports     two purposes publishing the same port, needing more hosts together than carry the label
  packing   a bin-packing trap on 4 dedicated hosts: the summed demand is 75 % of their capacity,
            but no assignment fits (each host holds two big replicas, leaving no room for a medium one)
  capacity  memory demand just above the memory of the hosts a group of purposes may use
  racks     a purpose that must survive a rack failure with more replicas per rack than allowed

Usage: generate.py --hosts N --seed S [--strategy spread|binpack] [--replicas-per-host R]
                   [--load U] [--infeasible KIND] [--out FILE]
"""
import argparse
import math
import random
import sys

GIB = 1024
SIZES = [(4, 0.15), (8, 0.30), (16, 0.30), (32, 0.15), (64, 0.10)]  # cores, share of hosts
MEM_PER_CORE = [(2, 0.25), (4, 0.50), (8, 0.25)]                     # GiB per core
INFEASIBLE_KINDS = ["zones", "ports", "packing", "capacity", "racks"]


def pick(rng, weighted):
    x = rng.random() * sum(w for _, w in weighted)
    for value, w in weighted:
        x -= w
        if x < 0:
            return value
    return weighted[-1][0]


def fmt_cpu(milli):
    return f"{milli // 1000}" if milli % 1000 == 0 else f"{milli}m"


def fmt_mem(mib):
    return f"{mib // GIB}GiB" if mib % GIB == 0 else f"{mib}MiB"


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def make_hosts(rng, n):
    zones = ["a", "b", "c"] if n < 40 or rng.random() < 0.5 else ["a", "b", "c", "d"]
    racks_per_zone = max(2, min(40, round(n / len(zones) / 12)))  # about 12 hosts a rack when large
    hosts = []
    for i in range(n):
        zone = zones[i % len(zones)]                              # round-robin: every zone gets hosts
        rack = f"{zone}{(i // len(zones)) % racks_per_zone + 1}"
        cores = pick(rng, SIZES)
        gib = cores * pick(rng, MEM_PER_CORE)
        labels = []
        if rng.random() < 0.4:
            labels.append("ssd")
        if rng.random() < 0.3:
            labels.append("public")
        if cores >= 32 and rng.random() < 0.35:
            labels.append("gpu")
        hosts.append({"name": f"h{i + 1:0{len(str(n))}d}", "cpu": cores * 1000, "mem": gib * GIB,
                      "zone": zone, "rack": rack, "labels": labels})
    # Every label on hosts in at least three zones (sentinel-like purposes need them), and gpu on
    # at least three large hosts: relabel deterministically if the dice did not.
    for label, want in (("ssd", 3), ("public", 3), ("gpu", 3)):
        for z in zones[:want]:
            if not any(label in h["labels"] and h["zone"] == z for h in hosts):
                cand = [h for h in hosts if h["zone"] == z]
                if label == "gpu":
                    big = max(cand, key=lambda h: (h["cpu"], h["name"]))
                    if big["cpu"] < 32000:
                        big["cpu"], big["mem"] = 32000, 128 * GIB
                    big["labels"].append("gpu")
                else:
                    cand[rng.randrange(len(cand))]["labels"].append(label)
    for h in hosts:
        h["labels"] = [l for l in ("ssd", "public", "gpu") if l in h["labels"]]
    return hosts, zones


KINDS = [
    # kind, weight (share of replicas), cpu range (cores), memory per core range (GiB)
    ("web", 0.18, (0.25, 2.0), (0.5, 2.0)),
    ("api", 0.22, (0.25, 4.0), (0.5, 4.0)),
    ("worker", 0.30, (0.25, 8.0), (0.5, 4.0)),
    ("cache", 0.10, (0.25, 2.0), (4.0, 16.0)),
    ("db", 0.08, (1.0, 8.0), (2.0, 8.0)),
    ("batch", 0.08, (2.0, 8.0), (1.0, 4.0)),
    ("sentinel", 0.02, (0.25, 0.5), (0.5, 1.0)),
    ("trainer", 0.02, (4.0, 8.0), (2.0, 4.0)),
]


def make_purposes(rng, hosts, zones, target_replicas, load):
    n_hosts = len(hosts)
    n_purposes = max(8, round(4 * math.sqrt(n_hosts)))
    purposes = []
    counts = {}
    for i in range(n_purposes):
        kind = KINDS[i % len(KINDS)] if i < len(KINDS) else pick(rng, [(k, k[1]) for k in KINDS])
        name, weight, (clo, chi), (mlo, mhi) = kind
        counts[name] = counts.get(name, 0) + 1
        cpu = log_uniform(rng, clo, chi)
        mem_gib = cpu * log_uniform(rng, mlo, mhi)
        p = {"name": f"{name}-{counts[name]}", "kind": name, "cpu": cpu, "mem": mem_gib * GIB,
             "weight": weight * rng.uniform(0.3, 1.7), "labels": [], "ports": [], "avoid": [],
             "max_per_host": None, "min": None, "survive": None}
        if name == "web":
            p["labels"] = ["public"] if rng.random() < 0.7 else []
            p["ports"] = [f"{8000 + i}:8080"]
        elif name == "api" and rng.random() < 0.4:
            p["ports"] = [f"{9000 + i}:9000"]
        elif name == "db":
            p["labels"] = ["ssd"]
            p["ports"] = [f"{5400 + i}:5432"]
            p["min"] = "majority"
            p["survive"] = {"zones": 1}
        elif name == "cache":
            p["labels"] = ["ssd"] if rng.random() < 0.3 else []
            p["max_per_host"] = rng.choice([2, 3, 4])
        elif name == "worker" and rng.random() < 0.4:
            p["max_per_host"] = rng.choice([2, 4, 8])
        elif name == "sentinel":
            p["ports"] = [f"{26000 + i}:26379"]
            p["min"] = "majority"
            p["survive"] = {"zones": 1}
        elif name == "trainer":
            p["labels"] = ["gpu"]
            p["max_per_host"] = 2
        elif name == "batch" and rng.random() < 0.5:
            p["survive"] = {"racks": 1}
        purposes.append(p)

    # A few pairs sharing a port (so they never share a host): web/api purposes that publish one.
    published = [p for p in purposes if p["ports"] and p["kind"] in ("web", "api")]
    for a, b in zip(published[0::4], published[1::4]):
        b["ports"] = [a["ports"][0].split(":")[0] + ":" + b["ports"][0].split(":")[1]]
    # Some avoid rules: batch avoids a db or cache (noisy neighbours), a worker avoids a web.
    dbs = [p for p in purposes if p["kind"] in ("db", "cache")]
    webs = [p for p in purposes if p["kind"] == "web"]
    for p in purposes:
        if p["kind"] == "batch" and dbs and rng.random() < 0.6:
            p["avoid"] = [rng.choice(dbs)["name"]]
        elif p["kind"] == "worker" and webs and rng.random() < 0.2:
            p["avoid"] = [rng.choice(webs)["name"]]

    # Eligible hosts per purpose, and the share of capacity they hold.
    for p in purposes:
        p["eligible"] = [h for h in hosts if all(l in h["labels"] for l in p["labels"])]

    # Replica counts proportional to weight, bounded by what the purpose's rules allow.
    total_w = sum(p["weight"] for p in purposes)
    for p in purposes:
        p["replicas"] = max(2, round(target_replicas * p["weight"] / total_w))
        bound_replicas(p, zones)

    # Scale per-replica demand so the total hits the target share of capacity (cpu and memory).
    cap_cpu = sum(h["cpu"] for h in hosts)
    cap_mem = sum(h["mem"] for h in hosts)
    mem_load = load * rng.uniform(0.75, 1.0)
    for _ in range(8):
        dem_cpu = sum(p["cpu"] * 1000 * p["replicas"] for p in purposes)
        dem_mem = sum(p["mem"] * p["replicas"] for p in purposes)
        fc, fm = load * cap_cpu / dem_cpu, mem_load * cap_mem / dem_mem
        for p in purposes:
            p["cpu"] = min(8.0, max(0.25, p["cpu"] * fc))
            p["mem"] = min(32 * GIB, max(256, p["mem"] * fm))
    for p in purposes:
        p["cpu_m"] = max(250, min(8000, int(round(p["cpu"] * 20)) * 50))        # multiples of 50m
        step = 256 if p["mem"] < 8 * GIB else GIB
        p["mem_mib"] = max(256, min(32 * GIB, int(round(p["mem"] / step)) * step))
        # Labelled purposes must fit well inside their labelled hosts.
        ecpu = sum(h["cpu"] for h in p["eligible"])
        emem = sum(h["mem"] for h in p["eligible"])
        if p["labels"]:
            share = 0.35 / max(1, sum(1 for q in purposes if q["labels"] == p["labels"]))
            limit = int(min(ecpu * share / p["cpu_m"], emem * share / p["mem_mib"]))
            p["replicas"] = max(min_replicas(p), min(p["replicas"], limit))
            fix_majority(p, zones)
        # A replica must fit on some eligible host.
        room = lambda h: (min(h["cpu"] / p["cpu_m"], h["mem"] / p["mem_mib"]), h["name"])
        biggest = max(p["eligible"], key=room)
        if p["survive"] and p["survive"].get("zones"):   # it needs a host in every zone: the weakest zone counts
            per_zone = [max((h for h in p["eligible"] if h["zone"] == z), key=room) for z in zones
                        if any(h["zone"] == z for h in p["eligible"])]
            biggest = min(per_zone, key=room)
        if p["cpu_m"] > biggest["cpu"] // 2 or p["mem_mib"] > biggest["mem"] // 2:
            p["cpu_m"] = min(p["cpu_m"], biggest["cpu"] // 2 // 50 * 50)
            p["mem_mib"] = min(p["mem_mib"], biggest["mem"] // 2 // 256 * 256)
    return purposes


def min_replicas(p):
    return 3 if p["min"] == "majority" else 2


def bound_replicas(p, zones):
    n_el = len(p["eligible"])
    r = p["replicas"]
    if p["ports"]:
        r = min(r, max(2, n_el // 3))
    if p["max_per_host"]:
        r = min(r, max(2, p["max_per_host"] * n_el // 3))
    p["replicas"] = max(min_replicas(p), r)
    fix_majority(p, zones)


def fix_majority(p, zones):
    """A majority purpose surviving a zone: an odd count from 3 to 2 * zones - 1 (so it fits the zones)."""
    if p["min"] != "majority":
        return
    r = min(max(3, p["replicas"]), 2 * len(zones) - 1, 7)
    p["replicas"] = r - 1 if r % 2 == 0 else r


def survival(p, rng):
    """min_available for a non-majority purpose: leave room for one host (or rack) failure, and
    allow enough replicas per host (rack) that half of the hosts it fits on can hold them all."""
    r = p["replicas"]
    if p["min"] == "majority":
        return "majority"
    fit = [h for h in p["eligible"] if p["cpu_m"] <= h["cpu"] and p["mem_mib"] <= h["mem"]]
    spread_over = max(1.0, 0.5 * len(fit))
    if p["ports"]:
        p["replicas"] = r = max(2, min(r, int(spread_over)))
    if p["max_per_host"]:
        p["replicas"] = r = max(2, min(r, int(spread_over * p["max_per_host"])))
    if p["survive"] and p["survive"].get("racks"):
        racks = sorted({h["rack"] for h in fit})
        loss = max(1, r // 3, math.ceil(r / max(1.0, 0.5 * len(racks))))
        return max(1, r - min(loss, r - 1))
    loss = max(1, round(r * rng.choice([0.1, 0.2, 0.25, 0.34, 0.5])), math.ceil(r / spread_over))
    if p["ports"] and rng.random() < 0.5:
        loss = 1
    return max(1, r - min(loss, r - 1))


def emit(args, hosts, zones, purposes, extra_header=()):
    out = []
    w = out.append
    w(f"# Generated by bench/generate.py --hosts {args.hosts} --seed {args.seed} --strategy {args.strategy} "
      f"--replicas-per-host {args.replicas_per_host} --load {args.load}"
      + (f" --infeasible {args.infeasible}" if args.infeasible else ""))
    total = sum(p["replicas"] for p in purposes)
    cap_cpu = sum(h["cpu"] for h in hosts)
    cap_mem = sum(h["mem"] for h in hosts)
    dem_cpu = sum(p["cpu_m"] * p["replicas"] for p in purposes)
    dem_mem = sum(p["mem_mib"] * p["replicas"] for p in purposes)
    w(f"# seed {args.seed}: {len(hosts)} hosts in {len(zones)} zones, {len(purposes)} purposes, {total} replicas; "
      f"demand {100 * dem_cpu / cap_cpu:.0f}% of cpu, {100 * dem_mem / cap_mem:.0f}% of memory")
    for line in extra_header:
        w("# " + line)
    w(f"topology: gen-{args.hosts}-s{args.seed}" + (f"-{args.infeasible}" if args.infeasible else ""))
    w(f"strategy: {args.strategy}")
    w("failures: { hosts: 1 }")
    w("")
    w("hosts:")
    for h in hosts:
        labels = f", labels: [{', '.join(h['labels'])}]" if h["labels"] else ""
        w(f"  {h['name']}: {{ cpu: {fmt_cpu(h['cpu'])}, memory: {fmt_mem(h['mem'])}, zone: {h['zone']}, "
          f"rack: {h['rack']}{labels} }}")
    w("")
    w("purposes:")
    for p in purposes:
        w(f"  {p['name']}:")
        w(f"    image: bench/{p['kind']}:1.0.0")
        w(f"    replicas: {p['replicas']}")
        w(f"    cpu: {fmt_cpu(p['cpu_m'])}")
        w(f"    memory: {fmt_mem(p['mem_mib'])}")
        if p["min_available"] != 1:
            w(f"    min_available: {p['min_available']}")
        if p["survive"]:
            w("    survive: { " + ", ".join(f"{k}: {v}" for k, v in p["survive"].items()) + " }")
        if p["ports"]:
            w("    ports: [" + ", ".join(f'"{x}"' for x in p["ports"]) + "]")
        if p["max_per_host"]:
            w(f"    max_per_host: {p['max_per_host']}")
        pl = []
        if p["labels"]:
            pl.append("labels: [" + ", ".join(p["labels"]) + "]")
        if p.get("hosts"):
            pl.append("hosts: [" + ", ".join(p["hosts"]) + "]")
        if p["avoid"]:
            pl.append("avoid: [" + ", ".join(p["avoid"]) + "]")
        if pl:
            w("    placement: { " + ", ".join(pl) + " }")
    return "\n".join(out) + "\n"


def new_purpose(name, kind, replicas, cpu_m, mem_mib, **kw):
    p = {"name": name, "kind": kind, "replicas": replicas, "cpu_m": cpu_m, "mem_mib": mem_mib, "labels": [],
         "ports": [], "avoid": [], "max_per_host": None, "min": None, "survive": None, "min_available": 1}
    p.update(kw)
    return p


def add_infeasible(kind, rng, hosts, zones, purposes):
    """Append an unplaceable part; returns header lines explaining why it cannot be placed."""
    if kind == "zones":
        two = [h["name"] for h in hosts if h["zone"] in zones[:2]]
        purposes.append(new_purpose("trap-sentinel", "sentinel", 3, 250, 256, min_available="majority",
                                    survive={"zones": 1}, hosts=two, ports=["26999:26379"]))
        return ["infeasible: trap-sentinel has 3 majority replicas surviving a zone failure (at most 1 per zone) "
                "but may only use hosts in zones " + ", ".join(zones[:2])]
    if kind == "ports":
        public = [h for h in hosts if "public" in h["labels"]]
        r = len(public) // 2 + 1
        purposes.append(new_purpose("trap-edge-a", "web", r, 250, 256, ports=["443:8443"], labels=["public"],
                                    min_available=r - 1))
        purposes.append(new_purpose("trap-edge-b", "web", r, 250, 256, ports=["443:443"], labels=["public"],
                                    min_available=r - 1))
        return [f"infeasible: trap-edge-a and trap-edge-b both publish port 443 with {r} replicas each, "
                f"but only {len(public)} hosts carry the label public"]
    if kind == "packing":
        for i in range(4):
            hosts.append({"name": f"pack{i + 1}", "cpu": 16000, "mem": 64 * GIB, "zone": zones[i % len(zones)],
                          "rack": f"{zones[i % len(zones)]}pack", "labels": ["pack"]})
        purposes.append(new_purpose("trap-big", "batch", 8, 6000, 4 * GIB, labels=["pack"], min_available=6,
                                    max_per_host=2))
        purposes.append(new_purpose("trap-mid", "batch", 2, 5000, 4 * GIB, labels=["pack"], min_available=1))
        return ["infeasible: on the 4 pack hosts (16 cores each) trap-big needs 8 x 6 cores at most 2 a host, "
                "so every pack host holds 2 (12 cores) and has 4 left; trap-mid (5 cores) fits nowhere, "
                "although the summed demand is 58 of 64 cores"]
    if kind == "capacity":
        ssd = [h for h in hosts if "ssd" in h["labels"]]
        mem = sum(h["mem"] for h in ssd)
        used = sum(p["mem_mib"] * p["replicas"] for p in purposes if "ssd" in p["labels"])
        per = 4 * GIB
        r = (mem - used) // per + 1
        purposes.append(new_purpose("trap-squeeze", "cache", r, 50, per, labels=["ssd"],
                                    min_available=max(1, r - max(1, r // 4))))
        return [f"infeasible: the ssd purposes need {(used + r * per) / GIB:.1f} GiB of memory, the ssd hosts "
                f"have {mem / GIB:.1f} GiB"]
    if kind == "racks":
        racks = sorted({h["rack"] for h in hosts})
        r = 2 * len(racks) + 2
        purposes.append(new_purpose("trap-rack", "batch", r, 250, 256, survive={"racks": 1}, min_available=r - 2))
        return [f"infeasible: trap-rack has {r} replicas of which {r - 2} must survive a rack failure, so at most "
                f"2 per rack, but there are only {len(racks)} racks"]
    raise SystemExit(f"unknown --infeasible kind {kind}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--strategy", choices=["spread", "binpack"], default="spread")
    ap.add_argument("--replicas-per-host", type=float, default=10.0)
    ap.add_argument("--load", type=float, default=None,
                    help="target cpu demand / capacity (default: drawn from 0.50-0.70 by the seed)")
    ap.add_argument("--infeasible", choices=INFEASIBLE_KINDS)
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    if args.hosts < 3:
        ap.error("--hosts must be at least 3")
    # The strategy does not change the instance: same seed and size give the same hosts and purposes.
    rng = random.Random(args.seed * 1_000_003 + args.hosts)
    if args.load is None:
        args.load = round(rng.uniform(0.50, 0.70), 2)
    hosts, zones = make_hosts(rng, args.hosts)
    purposes = make_purposes(rng, hosts, zones, round(args.hosts * args.replicas_per_host), args.load)
    for p in purposes:
        p["min_available"] = survival(p, rng)
        if p["replicas"] < 2:
            p["replicas"] = 2
    header = []
    if args.infeasible:
        header = add_infeasible(args.infeasible, random.Random(args.seed), hosts, zones, purposes)
    text = emit(args, hosts, zones, purposes, header)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
