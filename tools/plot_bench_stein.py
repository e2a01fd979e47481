#!/usr/bin/env python3
"""Plots the printed output of `ebmc bench stein` with gnuplot (SVG): Figure 5's rejection rates
against the perturbation per RBM size, and Figure 8's ICA gaps to the true log-likelihood.

    tools/plot_bench_stein.py docs/bench_stein_rbm.txt docs/bench_stein_ica.txt docs/

Reads only the bench's text tables; gnuplot (Debian's gnuplot-nox) draws.
"""
import os
import re
import subprocess
import sys


def rejection_rates(path):
    """{size: {test: [(sigma, rate, se), ...]}} from the Figure 5 table."""
    sigmas, out = [], {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("RBM") and "σ=" in line:
            sigmas = [float(v) for v in re.findall(r"σ=([0-9.]+)", line)]
            continue
        m = re.match(r"(\(\d+,\d+\))\s+(lsd|ksd|lksd|fssd)\s+(.*)", line)
        if m and sigmas:
            cells = re.findall(r"([0-9.]+)±([0-9.]+)", m.group(3))
            out.setdefault(m.group(1), {})[m.group(2)] = [
                (s, float(r), float(e)) for s, (r, e) in zip(sigmas, cells)]
    return out


def ica_gaps(path):
    """{method: [(D, gap, se), ...]} from the Figure 8 table."""
    dim, out = None, {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"(\d+)\s+truth", line)
        if m:
            dim = int(m.group(1))
            continue
        m = re.match(r"\s+(ML|LSD|SSM|NCE)\s+\S+ ± \S+\s+(-?[0-9.]+) ± ([0-9.]+)", line)
        if m and dim is not None:
            out.setdefault(m.group(1), []).append((dim, float(m.group(2)), float(m.group(3))))
    return out


def gnuplot(script, data_blocks, svg):
    text = "".join(f"${name} << EOD\n{block}EOD\n" for name, block in data_blocks.items())
    text += f"set terminal svg size 900,320 font 'DejaVu Sans,11' background '#ffffff'\n"
    text += f"set output '{svg}'\n" + script
    subprocess.run(["gnuplot"], input=text.encode(), check=True)


def main():
    rbm_path, ica_path, out_dir = sys.argv[1:4]
    rates = rejection_rates(rbm_path)
    blocks, plots = {}, []
    sizes = sorted(rates, key=lambda s: int(s[1:].split(",")[0]))
    script = f"set multiplot layout 1,{len(sizes)}\nset yrange [-0.05:1.05]\nset key top left\n"
    for k, size in enumerate(sizes):
        cmds = []
        for test in ("lsd", "ksd", "lksd", "fssd"):
            name = f"r{k}{test}"
            blocks[name] = "".join(f"{s} {r} {e}\n" for s, r, e in rates[size][test])
            cmds.append(f"${name} using 1:2:3 with yerrorlines title '{test.upper()}'")
        script += (f"set title 'RBM {size}'\nset xlabel 'perturbation σ'\n"
                   f"set ylabel 'rejection rate'\nplot " + ", ".join(cmds) + "\n")
    script += "unset multiplot\n"
    gnuplot(script, blocks, os.path.join(out_dir, "stein_rejection_rates.svg"))

    gaps = ica_gaps(ica_path)
    blocks, cmds = {}, []
    for method in ("ML", "LSD", "SSM", "NCE"):
        name = f"g{method}"
        blocks[name] = "".join(f"{d} {g} {e}\n" for d, g, e in gaps.get(method, []))
        cmds.append(f"${name} using 1:(-$2):3 with yerrorlines title '{method}'")
    script = ("set logscale y\nset xlabel 'dimension D'\n"
              "set ylabel 'nats below the true test log-likelihood'\nset key top left\n"
              "set title 'Linear ICA (logistic sources): gap to the truth, mean ± SE over 3 matrices'\n"
              "plot " + ", ".join(cmds) + "\n")
    gnuplot(script, blocks, os.path.join(out_dir, "stein_ica_gaps.svg"))


if __name__ == "__main__":
    main()
