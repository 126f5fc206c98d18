"""Training code for the learned parts, called from `benchmarks/train.py`."""
