"""Layer 1: reading, decoding, HTML, language, chunking, injection masking, text folding."""
