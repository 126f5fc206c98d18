"""Training code for the learned parts, one module each, called from `benchmarks/train.py`."""
