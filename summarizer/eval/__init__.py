"""Layer 5: gold data and scoring: the gold format (`gold`), dataset converters (`datasets`),
matching and per-field scores (`scoring`), run comparison (`compare`) and reports (`report`).
Imports only from layers 0–4; never from `batch`.
"""
