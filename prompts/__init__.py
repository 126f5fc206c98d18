"""Prompt templates, shipped inside the wheel as `summarizer.templates`."""
