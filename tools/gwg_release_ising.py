#!/usr/bin/python3
"""Runs the GWG reference implementation (Grathwohl et al. 2021, github.com/wgrathwohl/GWG_release)
on a periodic-lattice Ising model for `ebmc bench discrete --gwg-release PATH`.

The sampler is the authors' own `samplers.DiffSampler` imported from a checkout of GWG_release
(unmodified; the checkout is not shipped with ebmc). Modules its imports pull in that Debian does
not package and that the sampler never calls (torchvision, tqdm, igraph) are stubbed. The model is
the paper's lattice Ising f(x) = s'Js + b's, s = 2x - 1, J = theta x adjacency of the periodic
lattice, written here (the repository's version needs igraph only to build the adjacency).

Writes OUT (CSV): one row per step, one column per chain: the Hamming distance of each chain to a
fixed reference state (the bench's ESS statistic), and OUT.json with the seconds spent in
`sampler.step` (one thread).

    tools/gwg_release_ising.py --repo GWG_release --side 10 --chains 100 --steps 2000 \
        --theta 0.25 --seed 1 --out trace.csv
"""
import argparse
import json
import sys
import time
import types


def stub_modules():
    for name in ["torchvision", "torchvision.transforms", "tqdm", "igraph"]:
        module = types.ModuleType(name)
        module.tqdm = lambda x, *a, **k: x
        sys.modules[name] = module
    sys.modules["torchvision"].transforms = sys.modules["torchvision.transforms"]


def lattice_adjacency(side):
    import torch
    d = side * side
    a = torch.zeros(d, d)
    for r in range(side):
        for c in range(side):
            p = r * side + c
            for q in (((r + 1) % side) * side + c, r * side + (c + 1) % side):
                if p != q:
                    a[p, q] = a[q, p] = 1.0
    return a


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--side", type=int, default=10)
    parser.add_argument("--chains", type=int, default=100)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--theta", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    import torch
    torch.set_num_threads(1)
    # float32 probabilities over 1600 sites fail the simplex check of recent torch releases by
    # rounding alone; the check is not part of the algorithm.
    torch.distributions.Distribution.set_default_validate_args(False)
    stub_modules()
    sys.path.insert(0, args.repo)
    import samplers  # the authors' GWG

    class LatticeIsing(torch.nn.Module):
        def __init__(self, side, theta):
            super().__init__()
            self.J = torch.nn.Parameter(theta * lattice_adjacency(side), requires_grad=False)
            self.bias = torch.nn.Parameter(torch.zeros(side * side), requires_grad=False)

        def forward(self, x):
            s = 2 * x - 1
            return ((s @ self.J) * s).sum(-1) + (self.bias[None, :] * s).sum(-1)

    torch.manual_seed(args.seed)
    d = args.side * args.side
    model = LatticeIsing(args.side, args.theta)
    sampler = samplers.DiffSampler(d, 1, fixed_proposal=False, approx=True, multi_hop=False,
                                   temp=2.)
    x = torch.bernoulli(0.5 * torch.ones(args.chains, d))
    reference = torch.bernoulli(0.5 * torch.ones(1, d))
    seconds = 0.0
    rows = []
    for _ in range(args.steps):
        start = time.perf_counter()
        x = sampler.step(x.detach(), model).detach()
        seconds += time.perf_counter() - start
        rows.append((x != reference).float().sum(-1).tolist())
    with open(args.out, "w") as out:
        out.write(",".join("chain%d" % (c + 1) for c in range(args.chains)) + "\n")
        for row in rows:
            out.write(",".join("%g" % v for v in row) + "\n")
    with open(args.out + ".json", "w") as out:
        json.dump({"seconds": seconds, "steps": args.steps, "chains": args.chains,
                   "side": args.side, "theta": args.theta, "seed": args.seed,
                   "torch": torch.__version__}, out)


if __name__ == "__main__":
    main()
