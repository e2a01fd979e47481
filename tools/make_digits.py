#!/usr/bin/python3
"""Writes data/digits_train.csv and data/digits_test.csv: scikit-learn's 8x8 handwritten digits
(UCI "Optical Recognition of Handwritten Digits", test part; Debian's python3-sklearn), each
pixel binarized at half its range (value >= 8 of 0..16 -> 1), shuffled with seed 0 and split
1497 / 300. Columns s.1 ... s.64 row by row, as `ebmc train-ebm --model rbm|deep` reads them.

Run once: /usr/bin/python3 tools/make_digits.py  (the CSVs are committed; ebmc does not need Python)."""
import os

import numpy as np
from sklearn.datasets import load_digits

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
images = load_digits().data  # [1797, 64], integers 0..16
binary = (images >= 8).astype(int)
order = np.random.RandomState(0).permutation(len(binary))
binary = binary[order]
header = ",".join(f"s.{i + 1}" for i in range(binary.shape[1]))
for name, rows in (("digits_train.csv", binary[:1497]), ("digits_test.csv", binary[1497:])):
    np.savetxt(os.path.join(root, name), rows, fmt="%d", delimiter=",", header=header, comments="")
    print(name, rows.shape, "mean pixel", rows.mean().round(3))
