"""Layer 5: many articles through the one pipeline: inputs and outputs (`io`), the live runner with
rate limits and retries (`runner`), the OpenAI Batch API mode (`openai_batch`), prices, progress;
the Ray Data engine (`ray_engine`, imports Ray only when it runs) and its results directories (`shards`).
Imports only from layers 0–4; never from `eval`.
"""

from summarizer.batch.options import BatchInterrupted, BatchOptions, BatchReport
from summarizer.batch.runner import read_results, results_csv, run_batch

__all__ = ["BatchInterrupted", "BatchOptions", "BatchReport", "read_results", "results_csv", "run_batch"]
