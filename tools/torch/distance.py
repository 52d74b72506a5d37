#!/usr/bin/env python3
"""Sliced Wasserstein-2 distance of sample files (CSV, header x,y) to fresh swiss-roll data, one metric for
the engine's and the reference's samples side by side.

usage: distance.py FILE.csv [FILE.csv ...] [--directions 256] [--seed 0]

The held-out set: 10,000 fresh points of the notebook's swiss roll (sklearn's make_swiss_roll, noise 0.5,
columns x and z, divided by 10), drawn once for every file; the floor printed first is the distance between
two such fresh sets. SW = sqrt(mean over random unit directions w of W2^2(w . a, w . b)), each 1D W2 from
sorted projections (as the engine's SlicedWasserstein), with the same directions for every file.
"""
import argparse
import numpy as np
from sklearn.datasets import make_swiss_roll

ap = argparse.ArgumentParser()
ap.add_argument("files", nargs="+")
ap.add_argument("--directions", type=int, default=256)
ap.add_argument("--seed", type=int, default=0)
a = ap.parse_args()
rng = np.random.default_rng(a.seed)


def fresh(n=10000):
    x, _ = make_swiss_roll(n, noise=0.5, random_state=int(rng.integers(2**31)))
    return x[:, [0, 2]] / 10.0


angles = np.pi * rng.random(a.directions)
w = np.stack([np.cos(angles), np.sin(angles)])  # [2, D]


def sw(p, q):
    n = min(len(p), len(q))
    pa, pb = np.sort(p[:n] @ w, axis=0), np.sort(q[:n] @ w, axis=0)
    return float(np.sqrt(np.mean((pa - pb) ** 2)))


held_out = fresh()
print(f"two fresh data sets: {sw(fresh(), held_out):.4f}")
for f in a.files:
    pts = np.loadtxt(f, delimiter=",", skiprows=1)
    print(f"{f}: {sw(pts, held_out):.4f}")
